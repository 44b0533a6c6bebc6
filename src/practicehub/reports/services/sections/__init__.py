"""The sections of a site progress report, one module per area, each read from the service
that area's page calls for the same records and period (reports/services/content.py orders them)."""
