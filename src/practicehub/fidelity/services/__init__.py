"""The fidelity rules: observations, scoring, access, coaching, dashboards and imports."""
