# SQL here names the report table of the contract, never user input.
# ruff: noqa: S608
"""Data-quality marks (spec §1a Marking) read back from the report the import stored: which
counties, offices and whether all the data are over a check's limit, and the ``DQ``/``ok`` mark of
a result row. The checks themselves run at import (:mod:`practicehub.outcomes.data.quality`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

ALL = "all"  # the county column of the rows for all the data
REPORT_TABLE = "data_quality"
REPORT_COLUMNS = ("check", "county", "flagged", "denominator", "rate", "limit", "over_limit")


class Fetcher(Protocol):
    """Where loaded data are (an engine Runner): its SQL dialect, and rows of a query."""

    @property
    def dialect(self) -> str: ...

    def fetch(self, sql: str) -> list[dict[str, Any]]: ...


def has_report(runner: Fetcher) -> bool:
    """Whether the loaded data hold a report (data imported before v2 do not; a backend without
    an information schema cannot tell)."""
    if runner.dialect == "pyspark":
        return bool(runner.fetch(f"SHOW TABLES LIKE '{REPORT_TABLE}'"))
    if runner.dialect not in ("duckdb", "postgres"):
        return False
    found = runner.fetch(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = "
        f"'{REPORT_TABLE}' AND table_schema = current_schema()")
    return bool(found[0]["n"])


def report_rows(runner: Fetcher) -> list[dict[str, Any]]:
    """The stored report's rows, unordered."""
    # Spark SQL quotes names with backticks ("check" would be a string there).
    quote = "`" if runner.dialect == "pyspark" else '"'
    columns = ", ".join(f"{quote}{name}{quote}" for name in REPORT_COLUMNS)
    return runner.fetch(f"SELECT {columns} FROM {REPORT_TABLE}")


def marks_for(runner: Fetcher) -> Marks:
    """What the loaded data's report marks over a limit (nothing without a report)."""
    if not has_report(runner):
        return NO_MARKS
    report = report_rows(runner)
    if not any(row["over_limit"] for row in report):
        return NO_MARKS
    offices = runner.fetch("SELECT DISTINCT office, county FROM episodes "
                           "WHERE office IS NOT NULL")
    return marks_from(report, [(row["office"], row["county"]) for row in offices])


@dataclass(frozen=True)
class Marks:
    """Which data are over a limit for any check: counties, offices (by their episodes'
    counties), and all the data."""

    counties: frozenset[str] = frozenset()
    everything: bool = False
    office_counties: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def mark(self, groups: Mapping[str, str | None],
             scope_counties: Sequence[str] | None = None) -> str:
        """``DQ`` or ``ok`` for a result row with these groups (§1a Marking)."""
        if "county" in groups:
            return "DQ" if groups["county"] in self.counties else "ok"
        if "office" in groups:
            counties = self.office_counties.get(groups["office"] or "", frozenset())
            return "DQ" if counties & self.counties else "ok"
        if scope_counties:
            return "DQ" if set(scope_counties) & self.counties else "ok"
        return "DQ" if self.everything else "ok"


NO_MARKS = Marks()


def marks_from(report_rows: Iterable[Mapping[str, Any]],
               offices: Iterable[tuple[str | None, str | None]] = ()) -> Marks:
    over = [row for row in report_rows if row["over_limit"]]
    counties = frozenset(str(row["county"]) for row in over if row["county"] != ALL)
    office_counties: dict[str, set[str]] = {}
    for office, county in offices:
        if office is not None and county is not None:
            office_counties.setdefault(office, set()).add(county)
    return Marks(counties, any(row["county"] == ALL for row in over),
                 {office: frozenset(found) for office, found in office_counties.items()})
