"""The annual progress report of a System Improvement Plan: for each strategy (the plan's
objectives) and each of its indicators, the baseline, one actual per year since the baseline,
the target, the direction and whether it is on track, as Excel and as PDF.

Every figure is the plan page's (``implementation.services.measured``): the indicator's actuals
by quarter, with the viewer's suppression and DQ marks, and the on-track rule of the plan page
(the latest quarter with a figure against the line from the baseline to the target). **A year's
actual** is the figure of the quarter that ends on an anniversary of the baseline quarter's last
day, by the indicator's own definition: for an outcome measure that is the 12 months ending that
day (the spec's rolling-year periods), for a fidelity share the quarter's ratings, for workers at
fidelity and for a stage the state on that day. Year 1 ends one year after the baseline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser

from practicehub.accounts.models import User
from practicehub.core.errors import OutsideScope
from practicehub.core.services.tables import Table as FileTable
from practicehub.core.services.tables import to_xlsx_book
from practicehub.implementation.models import Indicator, IndicatorKind, Plan, PlanKind
from practicehub.implementation.services import indicators, measured
from practicehub.implementation.services.indicator_actuals import outcome_period
from practicehub.implementation.services.indicators import quarter_end
from practicehub.implementation.services.measured import ActualRow, MeasuredIndicator
from practicehub.outcomes.engine.periods import Period, add_months
from practicehub.reports.services.document import Chart, Report, Section, Table, produced_by

Viewer = User | None
NO_DATA_YET = "no figure yet (the data do not reach this day)"


def find_plan(pk: int, viewer: Viewer) -> Plan:
    """A System Improvement Plan in the viewer's scope (every one for the command line's
    aggregate edition); any other answers ``OutsideScope``."""
    plans = Plan.objects.filter(kind=PlanKind.SYSTEM_IMPROVEMENT).select_related("node")
    if viewer is not None:
        plans = plans.visible_to(viewer)
    found = plans.filter(pk=pk).first()
    if found is None:
        raise OutsideScope(f"plan: no System Improvement Plan {pk} in your scope")
    return found


def year_end(baseline_on: datetime.date, year: int) -> datetime.date:
    """The last day of the quarter ``year`` years after the baseline quarter."""
    end = quarter_end(baseline_on)
    return add_months(end + datetime.timedelta(days=1), 12 * year) - datetime.timedelta(days=1)


def period_of(indicator: Indicator, end: datetime.date) -> str:
    """What a year's figure covers, in words."""
    if indicator.kind == IndicatorKind.OUTCOME:
        period = outcome_period(end)
        return f"12 months {period.start.isoformat()} to {period.end.isoformat()}"
    start = datetime.date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    if indicator.kind == IndicatorKind.FIDELITY_SHARE:
        return f"ratings {start.isoformat()} to {end.isoformat()}"
    if indicator.kind == IndicatorKind.ASSESSMENT_SCORE:
        return f"latest administration {start.isoformat()} to {end.isoformat()}"
    return f"on {end.isoformat()}"


@dataclass(frozen=True)
class Year:
    number: int  # 0 for the baseline
    end: datetime.date
    covers: str
    row: ActualRow | None  # None: the data do not reach that day yet

    @property
    def label(self) -> str:
        return "Baseline" if self.number == 0 else f"Year {self.number}"

    @property
    def shown(self) -> str:
        return NO_DATA_YET if self.row is None else self.row.shown

    @property
    def mark(self) -> str:
        if self.row is None:
            return ""
        if self.row.actual.suppressed:
            return "suppressed (small numbers)"
        return "DQ" if self.row.actual.data_quality else ""


@dataclass(frozen=True)
class IndicatorProgress:
    measured: MeasuredIndicator
    years: list[Year]

    @property
    def indicator(self) -> Indicator:
        return self.measured.indicator


@dataclass(frozen=True)
class Strategy:
    number: int
    text: str
    indicators: list[IndicatorProgress]


@dataclass(frozen=True)
class Progress:
    plan: Plan
    strategies: list[Strategy]
    produced_on: datetime.date
    produced_by: str


def _years(found: MeasuredIndicator, until: datetime.date) -> list[Year]:
    indicator = found.indicator
    by_quarter = {row.actual.quarter: row for row in found.rows}
    years = []
    for number in range(0, 6):
        end = year_end(indicator.baseline_on, number)
        if end > until and number > 0:
            break
        years.append(Year(number, end, period_of(indicator, end), by_quarter.get(end)))
    return years


def progress(plan: Plan, viewer: Viewer, today: datetime.date) -> Progress:
    """Every strategy's indicators with their years (see the module's docstring)."""
    visitor = viewer if viewer is not None else AnonymousUser()
    by_objective = measured.measured_objectives(plan, visitor, today)
    strategies = []
    for number, objective in enumerate(plan.objectives.all(), 1):
        found = [IndicatorProgress(m, _years(m, today))
                 for m in by_objective.get(objective.pk, [])]
        strategies.append(Strategy(number, objective.text, found))
    return Progress(plan, strategies, today, produced_by(viewer))


# Tables --------------------------------------------------------------------------------------

SUMMARY_HEADERS = ["Strategy", "Indicator", "Direction", "Baseline quarter", "Baseline value",
                   "Target value", "Target date", "Status", "Latest quarter with a figure"]
YEAR_HEADERS = ["Strategy", "Indicator", "Year", "Year ends", "Figure covers", "Actual",
                "Mark"]


def _summary_row(strategy: Strategy, item: IndicatorProgress) -> list[str]:
    indicator, found = item.indicator, item.measured
    return [f"{strategy.number}. {strategy.text}", found.description,
            indicator.get_direction_display(), indicators.quarter_label(
                indicator.baseline_on),
            indicators.shown(indicator, indicator.baseline_value),
            indicators.shown(indicator, indicator.target_value),
            indicator.target_on.isoformat(), found.track.label, found.latest or "—"]


def _year_rows(strategy: Strategy, item: IndicatorProgress) -> list[list[str]]:
    return [[f"{strategy.number}. {strategy.text}", item.measured.description, year.label,
             year.end.isoformat(), year.covers, year.shown, year.mark] for year in item.years]


def notes(found: Progress) -> tuple[str, ...]:
    plan = found.plan
    return (
        f"{plan.title}: {plan.get_kind_display()} of {plan.node.name}, "
        f"{plan.start_on.isoformat()} to reassessment on {plan.reassess_on.isoformat()}.",
        f"Produced on {found.produced_on.isoformat()} by {found.produced_by}.",
        "Strategies are the plan's objectives. Each year's actual is the figure of the quarter "
        "ending on that anniversary of the baseline quarter: for an outcome measure the 12 "
        "months ending that day, for a fidelity share that quarter's ratings, for workers at "
        "fidelity and for a stage the state on that day.",
        "Status is the plan page's: the latest quarter with a figure against the straight line "
        "from the baseline to the target.",
        "'suppressed': fewer children or workers than may be shown (spec §5, or fewer than 5 "
        "workers); DQ: the data behind the figure are over a data-quality limit.",
    )


def workbook(found: Progress) -> bytes:
    items = [(s, i) for s in found.strategies for i in s.indicators]
    summary = FileTable("sip-summary", "Strategies and targets", SUMMARY_HEADERS,
                        [_summary_row(s, i) for s, i in items])
    years = FileTable("sip-years", "Yearly actuals", YEAR_HEADERS,
                      [row for s, i in items for row in _year_rows(s, i)])
    return to_xlsx_book([summary, years], f"Annual progress: {found.plan.title}", notes(found))


# The PDF -------------------------------------------------------------------------------------

def _section(strategy: Strategy) -> Section:
    section = Section(f"Strategy {strategy.number}: {strategy.text}")
    if not strategy.indicators:
        section.intro.append("No indicator is linked to this strategy yet.")
        return section
    section.table("Indicators, baselines and targets", SUMMARY_HEADERS[1:],
                  [_summary_row(strategy, i)[1:] for i in strategy.indicators])
    for item in strategy.indicators:
        table = Table(f"{item.measured.description}: by year", YEAR_HEADERS[2:],
                      [row[2:] for row in _year_rows(strategy, item)],
                      note=f"Status: {item.measured.track.label}. Baseline "
                           f"{item.measured.baseline}; target {item.measured.target}.")
        spec = getattr(item.measured.chart, "spec", None)
        if spec is None:
            section.blocks.append(table)
            continue
        quarters = Table(f"{item.measured.description}: by quarter", ["Quarter", "Actual",
                                                                      "Target line"],
                         [[r.label, r.shown, r.expected] for r in item.measured.rows])
        section.blocks.append(table)
        section.blocks.append(Chart(item.measured.description, "Actuals by quarter (solid) "
                                    "against the target line (dashed).", spec, quarters))
    return section


def report(found: Progress) -> Report:
    plan = found.plan
    return Report(node=plan.node, period=Period(plan.start_on, plan.reassess_on),
                  period_label=f"{plan.start_on.isoformat()} to {plan.reassess_on.isoformat()}",
                  produced_on=found.produced_on, produced_by=found.produced_by, edition="sip",
                  sections=[_section(s) for s in found.strategies],
                  heading=f"System Improvement Plan annual progress: {plan.title}")


def file_name(found: Progress, extension: str) -> str:
    return f"sip-progress-{found.plan.node.code}-{found.plan.pk}-" \
           f"{found.produced_on.isoformat()}.{extension}"
