"""Practice models as versioned data: loaded from YAML, browsed, drafted, published."""
