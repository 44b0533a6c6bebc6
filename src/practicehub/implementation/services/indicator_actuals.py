"""Measured objectives' actuals: each quarter's figure read from the data through the service
the area's dashboard uses (outcomes, fidelity, stages, assessment results), with its
suppression and DQ mark, and the baseline filled from the data (the rules they feed are in
``indicators.py``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from practicehub.accounts.models import NodeKind, OrgNode, Visitor
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.assessments.models import Administration
from practicehub.assessments.services import administrations
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import dashboards as fidelity
from practicehub.fidelity.services.access import sees_people_at
from practicehub.implementation.models import (
    STAGE_ORDER,
    Indicator,
    IndicatorKind,
    StageRecord,
)
from practicehub.implementation.services.access import InvalidInput
from practicehub.implementation.services.indicators import (
    FOLLOWS_A_YEAR,
    Actual,
    Track,
    quarter_end,
    quarter_start,
    quarters_since,
    track,
)
from practicehub.outcomes.engine.measures import MEASURES, MeasureSpec
from practicehub.outcomes.engine.periods import Period, add_months
from practicehub.outcomes.engine.results import DQ
from practicehub.outcomes.services import dashboard_data, dashboard_rows
from practicehub.outcomes.services.access import OutcomeScope
from practicehub.outcomes.services.dashboard_data import DashboardData
from practicehub.outcomes.services.dashboard_selection import Selection
from practicehub.practice_model.models import ModelVersion


def baseline_from_data(indicator: Indicator, viewer: Visitor | None = None) -> float:
    """The baseline quarter's figure, suppressed as for someone who may not see small cells
    (an assessment score: of the administrations ``viewer`` may see, none without one);
    ``InvalidInput`` on ``baseline_value`` when the data have none to give."""
    with _outcome_data(indicator) as data:
        found = quarter_actual(indicator, quarter_end(indicator.baseline_on), data,
                               suppress=True, sees_people=False, viewer=viewer)
    if found.suppressed:
        raise InvalidInput("baseline_value", f"the figure for {found.label} is suppressed "
                           "(too few children or workers to show); type the baseline instead")
    if found.value is None:
        raise InvalidInput("baseline_value", f"the data hold no figure for {found.label}; "
                           "type the baseline instead")
    return found.value


# Actuals -------------------------------------------------------------------------------------

@contextmanager
def _outcome_data(indicator: Indicator) -> Iterator[DashboardData | None]:
    if indicator.kind != IndicatorKind.OUTCOME:
        yield None
        return
    with dashboard_data.opened() as data:
        yield data


def outcome_selection(node: OrgNode, period: Period, suppress: bool) -> Selection:
    """The dashboards' selection of the plan's site: a county, an office within its county, or
    the counties of a region (the whole state for the state)."""
    unsuppressed = not suppress
    if node.kind == NodeKind.STATE:
        return Selection(OutcomeScope(True, (), unsuppressed), None, period, None, ())
    if node.kind == NodeKind.REGION:
        counties = tuple(sorted(OrgNode.objects.filter(path__startswith=node.path)
                                .exclude(fips="").values_list("fips", flat=True)))
        return Selection(OutcomeScope(False, counties, unsuppressed), None, period, None,
                         counties)
    county = node if node.fips else OrgNode.objects.filter(
        path__in=_ancestor_paths(node.path)).exclude(fips="").first()
    fips = county.fips if county else ""
    return Selection(OutcomeScope(False, (fips,), unsuppressed), fips, period, None, (fips,),
                     office=node.code if node.kind == NodeKind.OFFICE else None)


def _ancestor_paths(path: str) -> list[str]:
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[:depth]) + "/" for depth in range(1, len(codes))]


def outcome_period(quarter: datetime.date) -> Period:
    """The 12 months ending on a quarter's last day."""
    return Period(add_months(quarter + datetime.timedelta(days=1), -12), quarter)


def _outcome_actual(indicator: Indicator, spec: MeasureSpec, quarter: datetime.date,
                    data: DashboardData, suppress: bool) -> Actual:
    period = outcome_period(quarter)
    selection = outcome_selection(indicator.node, period, suppress)
    by = (indicator.dimension,) if indicator.dimension else ()
    rows = dashboard_rows.compute_rows(data, selection, period, [spec.id], by)
    row = next((r for r in rows if not by
                or r.group(indicator.dimension) == indicator.dimension_value), None)
    if row is None:
        return Actual(quarter, None)
    return Actual(quarter, None if row.suppressed else row.value, row.suppressed,
                  row.data_quality == DQ)


def _fidelity_actual(indicator: Indicator, quarter: datetime.date, sees_people: bool) -> Actual:
    tool = indicator.tool
    assert isinstance(tool, ObservationTool)
    node = indicator.node
    if indicator.kind == IndicatorKind.FIDELITY_SHARE:
        scope = fidelity.Scope(tool=tool, node=node, sees_people=sees_people,
                               since=quarter_start(quarter), until=quarter)
        group = next((g for g in fidelity.by_content(scope, indicator.content_level)
                      if g.key == indicator.content_code), None)
        if group is None:
            return Actual(quarter, None)
        return Actual(quarter, None if group.hidden else group.share, group.hidden)
    scope = fidelity.Scope(tool=tool, node=node, sees_people=sees_people, until=quarter)
    level = node.kind if node.kind in fidelity.PLACE_LEVELS else "state"
    found = next((g for g in fidelity.workers_at_fidelity(scope, level) if g.key == node.code),
                 None)
    if found is None:
        return Actual(quarter, None)
    return Actual(quarter, None if found.hidden else found.share, found.hidden)


def _stage_actual(indicator: Indicator, quarter: datetime.date) -> Actual:
    version = indicator.model_version
    assert isinstance(version, ModelVersion)
    record = (StageRecord.objects.filter(node=indicator.node, model_version=version,
                                         entered_on__lte=quarter)
              .order_by("-entered_on", "-pk").first())
    if record is None:
        return Actual(quarter, None)
    return Actual(quarter, float([str(s) for s in STAGE_ORDER].index(record.stage) + 1))


def _assessment_actual(indicator: Indicator, quarter: datetime.date,
                       viewer: Visitor | None) -> Actual:
    """The score of the latest fully scored administration within the quarter (``indicators``'
    docstring), of those ``viewer`` may see."""
    instrument = indicator.instrument
    assert instrument is not None
    # Without a viewer nobody is asking: no administration is seen (safe by default).
    among = (administrations.visible_administrations(viewer) if viewer is not None
             else Administration.objects.none())
    held = among.filter(instrument__key=instrument.key,
                        node__path__startswith=indicator.node.path,
                        administered_on__gte=quarter_start(quarter),
                        administered_on__lte=quarter).order_by("-administered_on", "-pk")
    code = indicator.subscale or "total"
    for administration in held:
        results = administrations.results_of(administration)
        if results is None:
            continue  # not fully scored yet
        score = next((s for s in [results.total, *results.all_scores()] if s.code == code), None)
        if score is not None:
            return Actual(quarter, float(score.shown))
    return Actual(quarter, None)


def quarter_actual(indicator: Indicator, quarter: datetime.date, data: DashboardData | None, *,
                   suppress: bool, sees_people: bool, viewer: Visitor | None = None) -> Actual:
    """One quarter's figure of ``indicator`` (see the module's docstring for each kind)."""
    if indicator.kind == IndicatorKind.OUTCOME:
        spec = MEASURES.get(indicator.measure)
        if data is None or spec is None:
            return Actual(quarter, None)
        return _outcome_actual(indicator, spec, quarter, data, suppress)
    if indicator.kind == IndicatorKind.STAGE:
        return _stage_actual(indicator, quarter)
    if indicator.kind == IndicatorKind.ASSESSMENT_SCORE:
        return _assessment_actual(indicator, quarter, viewer)
    return _fidelity_actual(indicator, quarter, sees_people)


def _data_reach(indicator: Indicator, data: DashboardData | None,
                today: datetime.date) -> datetime.date:
    """The last day a quarter may end on to be computed: ended by today, and for outcomes
    reached by the data."""
    until = today - datetime.timedelta(days=1)
    if indicator.kind == IndicatorKind.OUTCOME:
        as_of = dashboard_data.as_of_date(data) if data is not None else None
        if as_of is None:
            return datetime.date.min
        spec = MEASURES.get(indicator.measure)
        if spec is not None and spec.federal in FOLLOWS_A_YEAR:
            as_of = add_months(as_of, -12)
        return min(until, as_of)
    return until


def actuals(indicator: Indicator, viewer: Visitor, today: datetime.date) -> list[Actual]:
    """The figures of the baseline quarter and of each quarter since, as ``viewer`` may see
    them (suppressed for those without the unsuppressed capability; fidelity groups of few
    workers hidden from those who may not see people at the plan's site)."""
    node = indicator.node
    suppress = not has_capability(viewer, Capability.OUTCOMES_UNSUPPRESSED, node)
    sees_people = sees_people_at(viewer, node)
    with _outcome_data(indicator) as data:
        quarters = quarters_since(indicator.baseline_on, _data_reach(indicator, data, today))
        return [quarter_actual(indicator, quarter, data, suppress=suppress,
                               sees_people=sees_people, viewer=viewer) for quarter in quarters]


def track_of(indicator: Indicator, found: Sequence[Actual]) -> Track:
    return track(found, baseline_on=indicator.baseline_on,
                 baseline_value=indicator.baseline_value, target_on=indicator.target_on,
                 target_value=indicator.target_value, direction=indicator.direction)
