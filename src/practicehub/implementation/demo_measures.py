"""Measured objectives of the demo: Fresno's and Sacramento's current plans name the outcome and
fidelity figures they are meant to move, with baselines filled from the demo's outcome and
fidelity data (so the actuals since move with those data) and targets set from the baselines;
Fresno's also names its drivers assessment's score, from its two administrations."""

from __future__ import annotations

import datetime
from typing import Any

from practicehub.accounts.models import User
from practicehub.assessments import demo as assessments_demo
from practicehub.assessments.models import Administration
from practicehub.fidelity.demo import TOOL_NAME
from practicehub.fidelity.models import ObservationTool
from practicehub.implementation.demo_builders import D, months_ago
from practicehub.implementation.demo_fresno import FRESNO_PLAN_TITLE
from practicehub.implementation.models import (
    Direction,
    Indicator,
    IndicatorKind,
    Objective,
    Plan,
    PlanStatus,
)
from practicehub.implementation.services import (
    indicator_edits,
    plans,
)
from practicehub.implementation.services.access import InvalidInput
from practicehub.implementation.services.views_support import current_model

PERMANENCY = "permanency_12m_entries"
MOVES = "placement_moves_per_1000_days"
PERMANENCY_OBJECTIVE = ("Permanency within 12 months rises for African American and Native "
                        "American children")


def _measure(actor: User, objective: Objective, target: Any, **fields: Any) -> Indicator | None:
    """An indicator whose baseline is filled from the data, its target ``target(baseline)``;
    left out when the data have no figure the baseline may show (a suppressed cell)."""
    try:
        indicator = indicator_edits.add_indicator(actor, objective, fill_baseline=True,
                                             target_value=1.0, **fields)
    except InvalidInput:
        return None
    assert indicator.baseline_value is not None
    return indicator_edits.update_indicator(actor, indicator,
                                       target_value=round(target(indicator.baseline_value), 4))


def _objective(actor: User, plan: Plan, text: str) -> Objective:
    found = plan.objectives.filter(text=text).first()
    return found or plans.add_objective(actor, plan, text=text)


def _outcomes(actor: User, plan: Plan, today: D) -> None:
    objective = _objective(actor, plan, PERMANENCY_OBJECTIVE)
    # Permanency follows entrants for 12 months, so its quarters end a year before the data do.
    for group in ("black", "aian"):
        _measure(actor, objective, lambda b: min(b + 0.08, 0.95), kind=IndicatorKind.OUTCOME,
                 measure=PERMANENCY, dimension="race_ethnicity", dimension_value=group,
                 baseline_on=months_ago(today, 27), target_on=plan.reassess_on)
    _measure(actor, objective, lambda b: b * 0.85, kind=IndicatorKind.OUTCOME, measure=MOVES,
             direction=Direction.DOWN, baseline_on=months_ago(today, 18),
             target_on=plan.reassess_on)


def _fidelity(actor: User, plan: Plan, objective_text: str, today: D) -> None:
    tool = ObservationTool.objects.filter(name=TOOL_NAME).first()
    if tool is None:
        return
    objective = _objective(actor, plan, objective_text)
    baseline = months_ago(today, 21)
    first = tool.behaviors.select_related("practice").order_by("order").first()
    if first is not None and first.practice is not None:
        _measure(actor, objective, lambda b: min(b + 0.15, 0.95),
                 kind=IndicatorKind.FIDELITY_SHARE, tool=tool, content_level="practice",
                 content_code=first.practice.code, baseline_on=baseline,
                 target_on=plan.reassess_on)
    _measure(actor, objective, lambda b: max(b, 2 / 3), kind=IndicatorKind.WORKERS_AT_FIDELITY,
             tool=tool, baseline_on=baseline, target_on=plan.reassess_on)
    version = current_model()
    if version is not None:
        _measure(actor, objective, lambda b: 4.0, kind=IndicatorKind.STAGE,
                 model_version=version, baseline_on=months_ago(today, 30),
                 target_on=plan.reassess_on + datetime.timedelta(days=365))


DRIVERS = "drivers-capacity"
DRIVERS_OBJECTIVE = "Put the implementation drivers in place"


def _assessment(actor: User, plan: Plan) -> None:
    """The score of Fresno's drivers assessment, its baseline the first administration's quarter
    and its target the instrument's own (80% of the maximum)."""
    first = (Administration.objects.filter(node=plan.node, instrument__key=DRIVERS)
             .select_related("instrument").order_by("administered_on", "pk").first())
    if first is None:
        return
    target = first.instrument.spec["scoring"].get("target", 80)
    try:
        indicator_edits.add_indicator(
            actor, _objective(actor, plan, DRIVERS_OBJECTIVE), fill_baseline=True,
            kind=IndicatorKind.ASSESSMENT_SCORE, instrument=first.instrument,
            baseline_on=first.administered_on, target_value=float(target),
            target_on=plan.reassess_on)
    except InvalidInput:
        return


def _fresno_plan() -> Plan | None:
    return (Plan.objects.filter(title__startswith=FRESNO_PLAN_TITLE, node__code="fresno")
            .order_by("-start_on").first())


def load_measured(today: D) -> int:
    """Add the measured objectives the demo lacks (the outcome and fidelity ones together, the
    assessment score on its own); how many indicators were made."""
    before = Indicator.objects.count()
    if not Indicator.objects.exclude(kind=IndicatorKind.ASSESSMENT_SCORE).exists():
        _outcomes_and_fidelity(today)
    fresno = _fresno_plan()
    if fresno is not None and not Indicator.objects.filter(
            kind=IndicatorKind.ASSESSMENT_SCORE, objective__plan=fresno).exists():
        # The assessments demo runs after this one (its teams are made here): its
        # administrations are made now so the score has a baseline; it is idempotent.
        assessments_demo.load_demo(lambda _: None)
        _assessment(User.objects.get(username="fresno.lead"), fresno)
    return Indicator.objects.count() - before


def _outcomes_and_fidelity(today: D) -> None:
    fresno = _fresno_plan()
    sacramento = (Plan.objects.filter(node__code="sacramento", status=PlanStatus.ACTIVE)
                  .order_by("-start_on").first())
    if fresno is not None:
        lead = User.objects.get(username="fresno.lead")
        _outcomes(lead, fresno, today)
        _fidelity(lead, fresno, "Coach every worker to the practice behaviors", today)
    if sacramento is not None:
        actor = User.objects.get(username="cdss.coordinator")
        _outcomes(actor, sacramento, today)
        _fidelity(actor, sacramento, "Coach every unit monthly", today)
