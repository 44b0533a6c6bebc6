"""How the dashboards write figures and name groups: values, intervals, counts, counties,
offices and races as people read them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from practicehub.outcomes.engine.counties import COUNTIES
from practicehub.outcomes.engine.measures import MEASURES, MeasureSpec
from practicehub.outcomes.engine.results import DQ, ResultRow
from practicehub.outcomes.services.dashboard_data import office_name

RACE_LABELS = {
    "aian": "American Indian or Alaska Native", "asian": "Asian",
    "black": "Black or African American", "hispanic": "Hispanic (of any race)",
    "nhopi": "Native Hawaiian or Other Pacific Islander", "white": "White",
    "two_or_more": "Two or more races", "unknown": "Unknown",
}
COUNTY_NAMES = {code: name for code, name, _ in COUNTIES}
SUPPRESSED = "suppressed"
NO_VALUE = "no value"
# A horizon later than the data reach for the cohort's earliest entrants.
NOT_YET_OBSERVED = "not yet observed"

def county_name(code: str) -> str:
    return COUNTY_NAMES.get(code, code)

def race_label(code: str | None) -> str:
    return RACE_LABELS.get(code or "", code or "Unknown")

def group_label(dimension: str, code: str | None) -> str:
    """A group as people name it: county and office names, race labels, "No office recorded"."""
    if dimension == "county":
        return county_name(code or "")
    if dimension == "office":
        return office_name(code) if code else "No office recorded"
    if dimension == "race_ethnicity":
        return race_label(code)
    return code or "Not recorded"

def format_value(spec: MeasureSpec, value: float) -> str:
    if spec.kind == "proportion":
        return f"{value * 100:.1f}%"
    return f"{value:.2f}"


def axis_format(spec: MeasureSpec) -> Callable[[float], str]:
    if spec.kind == "proportion":
        return lambda value: f"{value * 100:.0f}%"
    return lambda value: f"{round(value, 6):g}"


@dataclass(frozen=True)
class Figure:
    """One shown figure: a result row and how to write it."""

    spec: MeasureSpec
    row: ResultRow | None

    @property
    def suppressed(self) -> bool:
        return self.row is not None and self.row.suppressed

    @property
    def data_quality(self) -> bool:
        """The data behind the figure are over a data-quality limit (spec §1a): shown as DQ."""
        return self.row is not None and self.row.data_quality == DQ

    @property
    def value(self) -> float | None:
        return None if self.row is None else self.row.value

    @property
    def text(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        return NO_VALUE if self.value is None else format_value(self.spec, self.value)

    @property
    def interval(self) -> str:
        row = self.row
        if self.suppressed:
            return SUPPRESSED
        if row is None or row.ci_low is None or row.ci_high is None:
            return "—"
        return f"{format_value(self.spec, row.ci_low)} to {format_value(self.spec, row.ci_high)}"

    @property
    def numerator(self) -> str:
        return self._count(None if self.row is None else self.row.numerator)

    @property
    def denominator(self) -> str:
        return self._count(None if self.row is None else self.row.denominator)

    def _count(self, count: int | None) -> str:
        if self.suppressed:
            return SUPPRESSED
        return "0" if count is None else f"{count:,}"


def figure(rows: Sequence[ResultRow], measure: str, **groups: str | None) -> Figure:
    found = next((row for row in rows if row.measure == measure
                  and all(row.group(name) == value for name, value in groups.items())), None)
    return Figure(MEASURES[measure], found)
