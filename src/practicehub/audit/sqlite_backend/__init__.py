"""Django's SQLite backend, with a flush that keeps the audit table's triggers (ADR 3)."""
