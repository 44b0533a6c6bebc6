"""The disparities page: rates per 1,000 children, disproportionality and disparity by race and
ethnicity at each stage of care.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.services import charts
from practicehub.outcomes.services.dashboard_data import DashboardData
from practicehub.outcomes.services.dashboard_rows import compute_rows
from practicehub.outcomes.services.dashboard_selection import Selection
from practicehub.outcomes.services.formatting import Figure, figure, race_label

STAGES = ("entries", "in_care", "long_term_24m")
STAGE_TITLES = {"entries": "Children entering care", "in_care": "Children in care",
                "long_term_24m": "Children in care 24 months or more"}

@dataclass(frozen=True)
class DisparityRow:
    race: str
    rate: Figure
    disproportionality: Figure
    disparity: Figure


@dataclass(frozen=True)
class StageDisparities:
    stage: str
    title: str
    rows: list[DisparityRow]
    white_rate: str
    chart: SafeString

def _rate_note(row: DisparityRow) -> str:
    if row.rate.suppressed or row.disparity.value is None:
        return row.rate.text
    return f"{row.rate.text}; disparity {row.disparity.text}"


def _stage(stage: str, rows: list[ResultRow], place: str) -> StageDisparities:
    races = [row.group("race_ethnicity") for row in rows
             if row.measure == f"rate_per_1000_{stage}"]
    table = [DisparityRow(race_label(race),
                          figure(rows, f"rate_per_1000_{stage}", race_ethnicity=race),
                          figure(rows, f"disproportionality_{stage}", race_ethnicity=race),
                          figure(rows, f"disparity_{stage}", race_ethnicity=race))
             for race in races]
    white = figure(rows, f"rate_per_1000_{stage}", race_ethnicity="white")
    bars = [charts.Bar(row.race, row.rate.value, _rate_note(row)) for row in table]
    title = STAGE_TITLES[stage]
    reference = (charts.ReferenceLine("White rate: disparity 1", white.value)
                 if white.value is not None else None)
    description = (f"{title} per 1,000 children by race and ethnicity, {place}. Each bar is a "
                   "group's rate, written with its disparity index at the bar's end; the dashed "
                   "line marks the white children's rate, where the disparity index is 1. "
                   "The table below the chart has every value.")
    chart = charts.bar_chart(f"disparity-{stage}", f"{title} per 1,000 children by race and "
                             "ethnicity", description, bars,
                             value_format=lambda v: f"{round(v, 6):g}",
                             axis_title="Rate per 1,000 children", reference=reference)
    return StageDisparities(stage, title, table, white.text, chart)


def disparities(data: DashboardData, selection: Selection) -> list[StageDisparities]:
    measures = [f"{kind}_{stage}" for stage in STAGES
                for kind in ("rate_per_1000", "disproportionality", "disparity")]
    rows = compute_rows(data, selection, selection.period, measures, ("race_ethnicity",))
    return [_stage(stage, [row for row in rows if row.measure.endswith(stage)], selection.place)
            for stage in STAGES]
