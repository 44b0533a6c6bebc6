from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from practicehub.audit.models import AuditEvent
from practicehub.implementation.models import ActionStatus, Objective, Plan, PlanAction
from practicehub.implementation.services import plans
from practicehub.implementation.services.access import InvalidInput
from practicehub.implementation.tests.helpers import START, a_plan, an_objective
from practicehub.testing.personas import Personas

TODAY = datetime.date(2026, 3, 1)


def _action(personas: Personas, objective: Objective, status: str,
            target: datetime.date = datetime.date(2026, 6, 1)) -> PlanAction:
    return plans.add_action(personas.fresno.lead, objective,
                            text=f"Step {status}", responsible="IT", target_on=target,
                            status=status)


def test_progress_rolls_up_from_actions_to_objectives_to_the_plan(personas: Personas) -> None:
    lead = personas.fresno.lead
    plan = a_plan(lead, personas.fresno.county)
    first, second = an_objective(lead, plan, "First"), an_objective(lead, plan, "Second")
    for status in (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.NOT_STARTED,
                   ActionStatus.DROPPED):
        _action(personas, first, status)
    _action(personas, second, ActionStatus.DONE)
    # First: (1 + 0.5 + 0) / 3, the dropped step left out = 0.5; second: 1; plan: mean = 0.75.
    assert plans.objective_progress(first) == Decimal("0.5")
    assert plans.objective_progress(second) == Decimal(1)
    assert plans.plan_progress(plan) == Decimal("0.75")


def test_an_objective_without_actions_does_not_pull_the_plan_down(personas: Personas) -> None:
    lead = personas.fresno.lead
    plan = a_plan(lead, personas.fresno.county)
    _action(personas, an_objective(lead, plan, "Has a step"), ActionStatus.IN_PROGRESS)
    an_objective(lead, plan, "Nothing planned yet")
    assert plans.plan_progress(plan) == Decimal("0.5")
    assert plans.plan_progress(a_plan(lead, personas.fresno.county, "Empty")) is None


def test_overdue_and_at_risk_actions_are_told_apart(personas: Personas) -> None:
    lead = personas.fresno.lead
    plan = a_plan(lead, personas.fresno.county)
    objective = an_objective(lead, plan)
    late = _action(personas, objective, ActionStatus.IN_PROGRESS, datetime.date(2026, 2, 1))
    soon = _action(personas, objective, ActionStatus.NOT_STARTED, datetime.date(2026, 3, 20))
    blocked = _action(personas, objective, ActionStatus.BLOCKED, datetime.date(2026, 9, 1))
    _action(personas, objective, ActionStatus.DONE, datetime.date(2026, 2, 1))
    _action(personas, objective, ActionStatus.NOT_STARTED, datetime.date(2026, 9, 1))
    summary = plans.summarise(Plan.objects.get(pk=plan.pk), TODAY)
    assert summary.overdue == [late]
    assert summary.at_risk == [soon, blocked]
    assert summary.horizon_months == 12


def test_a_reassessment_before_the_start_is_refused_and_nothing_saved(personas: Personas) -> None:
    with pytest.raises(InvalidInput) as refused:
        plans.create_plan(personas.fresno.lead, node=personas.fresno.county, kind="strategic",
                          title="Backwards", start_on=START, reassess_on=START)
    assert refused.value.field == "reassess_on"
    assert not Plan.objects.exists()


def test_a_county_lead_cannot_write_a_plan_for_another_county(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        a_plan(personas.fresno.lead, personas.humboldt.county)


def test_finishing_an_action_records_the_date_and_an_audit_event(personas: Personas) -> None:
    lead = personas.fresno.lead
    action = _action(personas, an_objective(lead, a_plan(lead, personas.fresno.county)),
                     ActionStatus.IN_PROGRESS)
    plans.set_action_status(lead, action, ActionStatus.DONE, TODAY)
    assert action.done_on == TODAY
    event = AuditEvent.objects.get(object_type="implementation.planaction", action="update")
    assert event.changed_fields == ["done_on", "status"]


def test_the_timeline_groups_actions_by_target_month(personas: Personas) -> None:
    lead = personas.fresno.lead
    plan = a_plan(lead, personas.fresno.county)
    objective = an_objective(lead, plan)
    _action(personas, objective, ActionStatus.NOT_STARTED, datetime.date(2026, 5, 20))
    _action(personas, objective, ActionStatus.NOT_STARTED, datetime.date(2026, 4, 2))
    _action(personas, objective, ActionStatus.NOT_STARTED, datetime.date(2026, 4, 28))
    months = [(m.month, len(m.actions)) for m in plans.timeline(plan, START)]
    assert months == [(datetime.date(2026, 4, 1), 2), (datetime.date(2026, 5, 1), 1)]


def test_the_timeline_page_marks_overdue_the_steps_the_plan_counts_overdue(
        personas: Personas, login_as: Any) -> None:
    lead = personas.fresno.lead
    plan = a_plan(lead, personas.fresno.county)
    objective = an_objective(lead, plan)
    late = _action(personas, objective, ActionStatus.BLOCKED, datetime.date(2020, 1, 6))
    done = _action(personas, objective, ActionStatus.DONE, datetime.date(2020, 1, 7))
    page = login_as(lead).get(reverse("implementation:plan_timeline", args=[plan.pk]))
    text = page.content.decode()
    assert f"{late.text} — IT (Blocked, overdue)" in text
    assert f"{done.text} — IT (Done)" in text
    summary = plans.summarise(plans.plans_with_actions(Plan.objects.filter(pk=plan.pk))[0],
                              timezone.localdate())
    assert summary.overdue == [late]
