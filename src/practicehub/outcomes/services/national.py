"""Published federal reference figures: CFSR Round 4 national performance and the Children's
Bureau's observed California and national values, per measure and period.

The figures come from ``outcomes/data/national/cfsr4_observed_CA_and_national.csv`` (see the README
there). Every profile version repeats recent periods, sometimes revised; the newest version is
the one to trust, so for each period only the newest profile's row is kept.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from practicehub.outcomes.engine.periods import Period, PeriodError, parse_period

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "national"
REFERENCE_CSV = DATA_DIR / "cfsr4_observed_CA_and_national.csv"
SOURCE = ("Children's Bureau, CFSR Round 4 National Supplemental Context Data "
          "(February 2024 to August 2025 profiles)")

# The federal indicator names of the reference file and the measure each corresponds to.
INDICATOR_MEASURES: dict[str, str] = {
    "Foster care entry rate (entries / 1,000 children)": "entry_rate",
    "Permanency in 12 months for children entering care": "permanency_12m_entries",
    "Permanency in 12 months for children in care 12-23 months": "permanency_12m_12_23",
    "Permanency in 12 months for children in care 24 months or more": "permanency_12m_24plus",
    "Reentry to foster care within 12 months": "reentry_12m",
    "Placement stability (moves / 1,000 days in care)": "placement_moves_per_1000_days",
    "Maltreatment in care (victimizations / 100,000 days in care)":
        "maltreatment_in_care_per_100k_days",
    "Maltreatment recurrence within 12 months": "maltreatment_recurrence_12m",
}
# National performance is published in percent for these; the measures are proportions.
_PERCENT_INDICATORS = frozenset(
    measure for measure in INDICATOR_MEASURES.values()
    if measure not in {"entry_rate", "placement_moves_per_1000_days",
                       "maltreatment_in_care_per_100k_days"}
)
# S1 is published per federal fiscal year ("21AB_FY21" = Oct 2020–Sep 2021) and S2 per year of
# initial reports followed into the next ("FY21-22": initial reports of FY21).
_FISCAL_YEAR = re.compile(r"^(\d{2})AB_FY\d{2}$|^FY(\d{2})-\d{2}$")
CALIFORNIA = "California"
NATIONAL = "National"


@dataclass(frozen=True)
class Observed:
    """One published observed value: ``geo`` in ``period`` from ``profile_version``."""

    measure: str
    geo: str
    period: Period
    value: float
    profile_version: str
    as_of: date


@dataclass(frozen=True)
class Reference:
    """Everything the file says about one measure."""

    national_performance: float | None  # CFSR Round 4 national performance, in measure units
    observed: tuple[Observed, ...]  # newest profile per (geo, period)

    def observed_in(self, geo: str, period: Period) -> Observed | None:
        return next((found for found in self.observed
                     if found.geo == geo and found.period == period), None)


def _is_total(row: dict[str, str]) -> bool:
    """California rows are the state total; national rows come per breakdown with a Total."""
    return row["geo"] == CALIFORNIA or row["dimension_value"] == "Total"


def federal_period(code: str) -> Period | None:
    """The period a reference row covers: a half-year code (23A23B) or a fiscal-year label."""
    fiscal = _FISCAL_YEAR.match(code)
    if fiscal:
        year = fiscal.group(1) or fiscal.group(2)
        code = f"{year}A{year}B"
    try:
        return parse_period(code)
    except PeriodError:
        return None


def _observed(row: dict[str, str], measure: str) -> Observed | None:
    period = federal_period(row["period"])
    if period is None:
        return None
    if not row["performance"]:
        return None
    return Observed(measure, row["geo"], period, float(row["performance"]),
                    row["profile_version"], date.fromisoformat(row["as_of_date"]))


def _national_performance(measure: str, text: str) -> float | None:
    if not text:
        return None
    value = float(text)
    return round(value / 100, 6) if measure in _PERCENT_INDICATORS else value


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def references(path: Path = REFERENCE_CSV) -> dict[str, Reference]:
    """Measure id → its reference figures (read once per process)."""
    newest: dict[tuple[str, str, Period], Observed] = {}
    performance: dict[str, float | None] = {}
    for row in _read_rows(path):
        measure = INDICATOR_MEASURES.get(row["indicator"])
        if measure is None:
            continue
        if performance.get(measure) is None:
            performance[measure] = _national_performance(measure, row["national_performance_r4"])
        found = _observed(row, measure) if _is_total(row) else None
        if found is None:
            continue
        key = (measure, found.geo, found.period)
        if key not in newest or found.as_of > newest[key].as_of:
            newest[key] = found
    return {
        measure: Reference(
            performance.get(measure),
            tuple(sorted((o for o in newest.values() if o.measure == measure),
                         key=lambda o: (o.geo, o.period.start))),
        )
        for measure in INDICATOR_MEASURES.values()
    }


def reference_for(measure: str) -> Reference | None:
    return references().get(measure)
