"""The overview page: each measure's headline figure and trend, and the breakdown by a grouping.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from practicehub.outcomes.engine.measures import MEASURES, MeasureSpec
from practicehub.outcomes.engine.periods import Period, rolling_periods
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.services import charts, national
from practicehub.outcomes.services.dashboard_data import DashboardData
from practicehub.outcomes.services.dashboard_rows import (
    OFFICELESS_MEASURES,
    OVERVIEW_MEASURES,
    compute_rows,
    scoped_totals,
)
from practicehub.outcomes.services.dashboard_selection import Selection
from practicehub.outcomes.services.formatting import (
    Figure,
    axis_format,
    figure,
    format_value,
    group_label,
)

TREND_PERIODS = 8
TREND_STEP_MONTHS = 3

@dataclass(frozen=True)
class TrendPoint:
    period: Period
    figure: Figure
    national_observed: str  # the Children's Bureau's national figure for exactly this period
    california_observed: str

    @property
    def label(self) -> str:
        return f"{self.period.start.isoformat()} to {self.period.end.isoformat()}"


@dataclass(frozen=True)
class MeasureOverview:
    spec: MeasureSpec
    current: Figure
    trend: list[TrendPoint]
    national_performance: str  # the Round 4 national performance, written out; "" if none
    chart: SafeString


def _published(reference: national.Reference | None, geo: str, period: Period,
               spec: MeasureSpec) -> str:
    found = reference.observed_in(geo, period) if reference else None
    return "—" if found is None else format_value(spec, found.value)


def _period_tick(period: Period) -> str:
    return period.end.strftime("%b %Y")


def _trend_chart(spec: MeasureSpec, place: str, points: list[TrendPoint],
                 reference: national.Reference | None) -> SafeString:
    line = charts.Series(place, tuple((float(index), point.figure.value)
                                      for index, point in enumerate(points)),
                         rows=tuple(point.label for point in points))
    performance = reference.national_performance if reference else None
    national_line = (charts.ReferenceLine("National performance", performance)
                     if performance is not None else None)
    description = (
        f"{spec.title} for {place}, 12-month periods ending {_period_tick(points[0].period)} to "
        f"{_period_tick(points[-1].period)}, one point per period; suppressed periods are gaps."
        + (f" Dashed line: CFSR Round 4 national performance, {format_value(spec, performance)}."
           if performance is not None else "")
        + " The table below the chart has every value.")
    return charts.line_chart(
        f"trend-{spec.id}", f"{spec.title}: trend", description, [line],
        x_ticks=[(float(i), _period_tick(p.period)) for i, p in enumerate(points)],
        x_title="12-month period ending", y_format=axis_format(spec), reference=national_line,
        y_max=1.0 if spec.kind == "proportion" else None)

def overview(data: DashboardData, selection: Selection) -> list[MeasureOverview]:
    """Headline value and trend of every measure of spec §3 for the selection."""
    periods = rolling_periods(selection.period, TREND_PERIODS, TREND_STEP_MONTHS)
    by_period = {period: scoped_totals(data, selection, period) for period in periods}
    summaries = []
    for measure in OVERVIEW_MEASURES:
        if selection.office and measure in OFFICELESS_MEASURES:
            continue
        spec, reference = MEASURES[measure], national.reference_for(measure)
        points = [TrendPoint(period, figure(by_period[period], measure),
                             _published(reference, national.NATIONAL, period, spec),
                             _published(reference, national.CALIFORNIA, period, spec))
                  for period in periods]
        performance = reference.national_performance if reference else None
        summaries.append(MeasureOverview(
            spec, points[-1].figure, points,
            format_value(spec, performance) if performance is not None else "",
            _trend_chart(spec, selection.place, points, reference)))
    return summaries

@dataclass(frozen=True)
class GroupRow:
    label: str
    figures: list[Figure]

def breakdown(data: DashboardData, selection: Selection) -> tuple[list[MeasureSpec],
                                                                  list[GroupRow]]:
    """The overview's measures by the selection's grouping, for the measures that take it."""
    if not selection.grouping:
        return [], []
    wanted = [m for m in OVERVIEW_MEASURES
              if not (selection.grouping == "office" and m in OFFICELESS_MEASURES)]
    rows = compute_rows(data, selection, selection.period, wanted, (selection.grouping,))
    measures = [m for m in OVERVIEW_MEASURES if any(row.measure == m for row in rows)]
    groups = sorted({row.group(selection.grouping) or "" for row in rows},
                    key=lambda code: (not code, group_label(selection.grouping, code or None)))
    first: dict[tuple[str, str | None], ResultRow] = {}  # one pass, not one per cell
    for row in rows:
        first.setdefault((row.measure, row.group(selection.grouping)), row)
    table = [GroupRow(group_label(selection.grouping, code or None),
                      [Figure(MEASURES[m], first.get((m, code or None))) for m in measures])
             for code in groups]
    return [MEASURES[m] for m in measures], table
