"""practicehub: put a child welfare practice model into daily work and see whether it helps."""
