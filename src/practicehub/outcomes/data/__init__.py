"""Outcome data in and out of storage: reading files, validation, data-quality checks, the
DuckDB and PostgreSQL stores, the federal file and synthetic data. Imports the engine, never
Django."""
