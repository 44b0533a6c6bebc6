"""The long stays page: children in care 24 and 36 months or more, by place and by race and
ethnicity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString

from practicehub.outcomes.engine.measures import measures_on
from practicehub.outcomes.services import charts
from practicehub.outcomes.services.dashboard_data import DashboardData
from practicehub.outcomes.services.dashboard_rows import compute_rows
from practicehub.outcomes.services.dashboard_selection import Selection
from practicehub.outcomes.services.formatting import (
    SUPPRESSED,
    Figure,
    county_name,
    figure,
    group_label,
    race_label,
)

LONG_STAY_MEASURES = measures_on("long_stays")  # 24 and 36 months, in the registry's order

@dataclass(frozen=True)
class LongStayRow:
    label: str
    over_24: Figure
    over_36: Figure


@dataclass(frozen=True)
class LongStayTable:
    dimension: str  # the group column's heading
    rows: list[LongStayRow]
    chart: SafeString


def _long_stay_note(row: LongStayRow) -> str:
    if row.over_24.suppressed:
        return SUPPRESSED
    return f"24+ months {row.over_24.text}; 36+ months {row.over_36.text}"


def _long_stay_table(data: DashboardData, selection: Selection, dimension: str, heading: str,
                     label: Callable[[str | None], str]) -> LongStayTable:
    rows = compute_rows(data, selection, selection.period, LONG_STAY_MEASURES, (dimension,))
    groups = [row.group(dimension) for row in rows if row.measure == LONG_STAY_MEASURES[0]]
    table = [LongStayRow(label(group),
                         figure(rows, LONG_STAY_MEASURES[0], **{dimension: group}),
                         figure(rows, LONG_STAY_MEASURES[1], **{dimension: group}))
             for group in groups]
    bars = [charts.Bar(row.label, row.over_24.value, _long_stay_note(row)) for row in table]
    description = (f"Share of children in care on {selection.period.end.isoformat()} who had "
                   f"been in care 24 months or more, by {heading.lower()}, {selection.place}; "
                   "the share at 36 months or more is written at each bar's end. The table "
                   "below the chart has the counts.")
    chart = charts.bar_chart(f"long-stay-{dimension}", f"In care 24 months or more, by "
                             f"{heading.lower()}", description, bars,
                             value_format=lambda v: f"{v * 100:.0f}%",
                             axis_title="Share of children in care")
    return LongStayTable(heading, table, chart)


def long_stays(data: DashboardData, selection: Selection) -> list[LongStayTable]:
    """By county (or by office within the one county picked) and by race/ethnicity."""
    if selection.county:
        place = _long_stay_table(data, selection, "office", "Office",
                                 lambda code: group_label("office", code))
    else:
        place = _long_stay_table(data, selection, "county", "County",
                                 lambda code: county_name(code or ""))
    race = _long_stay_table(data, selection, "race_ethnicity", "Race and ethnicity", race_label)
    return [place, race]


def long_stay_totals(data: DashboardData, selection: Selection) -> tuple[Figure, Figure]:
    rows = compute_rows(data, selection, selection.period, LONG_STAY_MEASURES)
    return figure(rows, LONG_STAY_MEASURES[0]), figure(rows, LONG_STAY_MEASURES[1])
