"""The time to permanency page: Kaplan–Meier curves for the period's entry cohort, all children
and by race and ethnicity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from practicehub.outcomes.engine import time_to_permanency
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.services import charts
from practicehub.outcomes.services.dashboard_data import DashboardData
from practicehub.outcomes.services.dashboard_selection import Selection
from practicehub.outcomes.services.formatting import (
    NO_VALUE,
    NOT_YET_OBSERVED,
    SUPPRESSED,
    race_label,
)


@dataclass(frozen=True)
class CurveSummary:
    label: str
    curve: time_to_permanency.PermanencyCurve

    def _share(self, value: float | None, missing: str = NO_VALUE) -> str:
        if self.curve.suppressed:
            return SUPPRESSED
        return missing if value is None else f"{value * 100:.1f}%"

    @property
    def cohort(self) -> str:
        return SUPPRESSED if self.curve.suppressed else f"{self.curve.cohort or 0:,}"

    @property
    def median(self) -> str:
        if self.curve.suppressed:
            return SUPPRESSED
        median = self.curve.median_months
        return "not reached" if median is None else f"{median:.1f} months"

    @property
    def at_horizons(self) -> list[str]:
        """The share reaching permanency by 12, 24 and 36 months."""
        return [self._share(time_to_permanency.permanency_at_horizon(self.curve, months),
                            NOT_YET_OBSERVED) for months in time_to_permanency.HORIZONS_MONTHS]

    def incidence(self) -> list[tuple[int, list[str]]]:
        """Per horizon, the cumulative incidence of each exit type, written out."""
        return [(months, [self._share(self.curve.incidence.get(months, {}).get(exit_type),
                                      NOT_YET_OBSERVED)
                          for exit_type in time_to_permanency.EXIT_TYPES])
                for months in time_to_permanency.HORIZONS_MONTHS]


@dataclass(frozen=True)
class PermanencyPage:
    curves: list[CurveSummary]
    chart: SafeString
    exit_types: tuple[str, ...]
    horizons: tuple[int, ...]


def _curves(data: DashboardData, selection: Selection, by: Sequence[str]
            ) -> list[time_to_permanency.PermanencyCurve]:
    def build() -> list[time_to_permanency.PermanencyCurve]:
        return time_to_permanency.compute(data.runner, selection.period, by=by,
                                          scope=selection.engine_scope(),
                                          suppress=selection.suppress)

    return data.cached(("curves", *selection.key(), tuple(by)), build)


def _permanency_chart(curves: list[CurveSummary], place: str, period: Period) -> SafeString:
    shown = [c for c in curves if not c.curve.suppressed and c.curve.points]
    series = [charts.Series(c.label, tuple((float(p.month), p.permanency)
                                           for p in c.curve.points), step=True) for c in shown]
    longest = max((p.month for c in shown for p in c.curve.points), default=36)
    ticks = [(float(m), str(m)) for m in range(0, longest + 1, 12)]
    description = (
        f"Kaplan–Meier estimate of the share of children who entered care from "
        f"{period.start.isoformat()} to {period.end.isoformat()} ({place}) and reached "
        "permanency, by months since entry; one stepped line per group, each with its own "
        "dash pattern and its name at the line's end. Suppressed groups are left out. The "
        "tables below have the values at 12, 24 and 36 months and the median.")
    return charts.line_chart("permanency-curves", "Time to permanency", description, series,
                             x_ticks=ticks, x_title="Months since entering care",
                             y_format=lambda v: f"{v * 100:.0f}%", y_max=1.0, markers=False)


def permanency(data: DashboardData, selection: Selection) -> PermanencyPage:
    """Curves for the entry cohort of the period: all children, then each race/ethnicity."""
    total = _curves(data, selection, ())
    by_race = _curves(data, selection, ("race_ethnicity",))
    curves = [CurveSummary("All children", curve) for curve in total] + [
        CurveSummary(race_label(dict(curve.groups).get("race_ethnicity")), curve)
        for curve in by_race]
    return PermanencyPage(curves, _permanency_chart(curves, selection.place, selection.period),
                          time_to_permanency.EXIT_TYPES, time_to_permanency.HORIZONS_MONTHS)
