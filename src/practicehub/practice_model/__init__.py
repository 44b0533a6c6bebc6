"""Practice models held as versioned data: loaded from YAML, browsed, edited as drafts, published."""
