"""Measured objectives as the plan page and the API show them: each indicator with its
actuals by quarter, the target line, on track or not, and its chart with the same figures as a
table."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from practicehub.accounts.models import Visitor
from practicehub.core import vega
from practicehub.implementation.models import Indicator, Plan
from practicehub.implementation.services import (
    charts,
    indicator_actuals,
    indicators,
)
from practicehub.implementation.services.indicators import Actual, Track

SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class ActualRow:
    actual: Actual
    shown: str  # the value as the dashboards write it, "suppressed" or "no value"
    expected: str  # the target line on the quarter's last day, written out
    expected_value: float | None

    @property
    def label(self) -> str:
        return self.actual.label


@dataclass(frozen=True)
class MeasuredIndicator:
    indicator: Indicator
    description: str
    baseline: str
    target: str
    rows: list[ActualRow]
    track: Track
    chart: str  # SVG

    @property
    def latest(self) -> str:
        latest = self.track.latest
        return "" if latest is None else latest.label


def _row(indicator: Indicator, actual: Actual) -> ActualRow:
    if actual.suppressed:
        text = SUPPRESSED
    elif actual.value is None:
        text = "no value"
    else:
        text = indicators.shown(indicator, actual.value)
    expected = (None if indicator.baseline_value is None else indicators.expected_on(
        actual.quarter, baseline_on=indicator.baseline_on,
        baseline_value=indicator.baseline_value, target_on=indicator.target_on,
        target_value=indicator.target_value))
    return ActualRow(actual, text, indicators.shown(indicator, expected), expected)


def measured(indicator: Indicator, viewer: Visitor, today: datetime.date) -> MeasuredIndicator:
    found = indicator_actuals.actuals(indicator, viewer, today)
    description = indicators.describe(indicator)
    baseline = (f"{indicators.shown(indicator, indicator.baseline_value)} in "
                f"{indicators.quarter_label(indicator.baseline_on)}"
                if indicator.baseline_value is not None
                else f"not set ({indicators.quarter_label(indicator.baseline_on)})")
    target = (f"{indicators.shown(indicator, indicator.target_value)} by "
              f"{indicator.target_on:%Y-%m-%d} ({indicator.get_direction_display().lower()})")
    line = ([{"quarter": indicator.baseline_on.isoformat(), "target": indicator.baseline_value},
             {"quarter": indicator.target_on.isoformat(), "target": indicator.target_value}]
            if indicator.baseline_value is not None
            else [{"quarter": indicator.target_on.isoformat(), "target": indicator.target_value}])
    points = [{"quarter": a.quarter.isoformat(), "actual": a.value, "suppressed": a.suppressed,
               "row": a.label} for a in found]
    spec = charts.indicator_chart(
        points, line,
        description=(f"{description}: actuals by quarter since the baseline (solid line; "
                     "suppressed quarters are gaps marked S) against the target line from the "
                     f"baseline to {target} (dashed). The table below has every value."),
        share=indicators.is_share(indicator))
    return MeasuredIndicator(indicator, description, baseline, target,
                             [_row(indicator, a) for a in found],
                             indicator_actuals.track_of(indicator, found), vega.drawn(spec))


def measured_objectives(plan: Plan, viewer: Visitor,
                        today: datetime.date) -> dict[int, list[MeasuredIndicator]]:
    """Each objective's measured indicators, by objective id."""
    found: dict[int, list[MeasuredIndicator]] = {}
    chosen = Indicator.objects.filter(objective__plan=plan).select_related(
        "objective__plan__node", "tool", "model_version", "instrument")
    for indicator in chosen:
        found.setdefault(indicator.objective_id, []).append(measured(indicator, viewer, today))
    return found
