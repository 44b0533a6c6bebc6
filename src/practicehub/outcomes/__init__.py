"""Outcome measures: the data contract, validation, loading, the measure engine and synthetic data.

Modules: ``contract`` (tables, columns, codes), ``sources`` and ``validation`` (reading and checking
a data directory), ``store`` (loading into DuckDB), ``derived`` and ``periods`` (the calendar and
derived-field rules), ``measures`` (one module per family), ``engine`` (compile, run, intervals,
suppression), ``suppression``, ``intervals``, ``output`` and ``synthetic``. See docs/outcomes.md.
Nothing heavy is imported here, so loading the Django app stays cheap.
"""
