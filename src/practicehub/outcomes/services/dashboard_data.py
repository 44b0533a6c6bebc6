"""The imported outcome data a dashboard page reads, and what it caches of them.

Results are cached per import (the version of the data: a DuckDB file's modification time and
size, or the version a PostgreSQL import wrote), so a new import is seen at once and repeated
views only read the cache: a trend needs a computation per period and measure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from practicehub.outcomes.data import store
from practicehub.outcomes.engine import marks, time_to_permanency
from practicehub.outcomes.services import reading
from practicehub.outcomes.services.access import outcome_store

T = TypeVar("T")


@dataclass
class DashboardData:
    """The imported outcome data (a DuckDB file or a PostgreSQL schema) and a key that changes
    whenever they are re-imported."""

    runner: store.OutcomeData
    version: str

    def cached(self, parts: Sequence[object], build: Callable[[], T]) -> T:
        return reading.cached(self.version, parts, build)


@contextmanager
def opened(database: reading.Location | None = None) -> Iterator[DashboardData | None]:
    """The imported data (by default the configured store, ``access.outcome_store``) for one
    request, or None when nothing has been imported yet: a DuckDB file through a cursor of the
    server process's shared connection, a PostgreSQL schema through the thread's connection."""
    data = reading.read(database or outcome_store())
    if data is None:
        yield None
        return
    try:
        yield DashboardData(data, data.version)
    finally:
        data.close()

def as_of_date(data: DashboardData) -> date | None:
    """The latest removal or discharge date: how far the data reach."""
    return data.cached(("as_of",), lambda: time_to_permanency.latest_date_in_data(data.runner))

def counties_in_data(data: DashboardData) -> tuple[str, ...]:
    def build() -> tuple[str, ...]:
        rows = data.runner.fetch("SELECT DISTINCT county FROM episodes ORDER BY county")
        return tuple(str(row["county"]) for row in rows)

    return data.cached(("counties",), build)


def first_date_in_data(data: DashboardData) -> date | None:
    """The earliest removal date: where the periods the data hold begin."""
    def build() -> date | None:
        (row,) = data.runner.fetch("SELECT MIN(removal_date) AS first FROM episodes")
        return row["first"] if isinstance(row["first"], date) else None

    return data.cached(("first",), build)

def offices_in_data(data: DashboardData, county: str) -> tuple[tuple[str, str], ...]:
    """The offices of ``county`` the episodes name, as (code, name), names from the tree."""
    def build() -> tuple[tuple[str, str], ...]:
        rows = data.runner.fetch("SELECT DISTINCT county, office FROM episodes "
                                 "WHERE office IS NOT NULL ORDER BY county, office")
        return tuple((str(row["county"]), str(row["office"])) for row in rows)

    codes = [office for where, office in data.cached(("offices",), build) if where == county]
    names = office_names(codes)
    return tuple((code, names[code]) for code in codes)


def office_names(codes: Sequence[str]) -> dict[str, str]:
    """Offices' names from the organisation tree; an office the tree lacks keeps its code."""
    from practicehub.accounts.models import OrgNode  # Django models: only when pages render

    found = dict(OrgNode.objects.filter(code__in=list(codes)).values_list("code", "name"))
    return {code: found.get(code, code) for code in codes}


def office_name(code: str) -> str:
    return office_names([code])[code]

def quality_marks(data: DashboardData) -> marks.Marks:
    """What the imported data's data-quality report marks over a limit (cached)."""
    return data.cached(("quality-marks",), lambda: marks.marks_for(data.runner))
