"""Plan steps after they are written: edited, moved, closed and deleted, each audited, lost
updates refused, other counties' steps 404."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from practicehub.audit.models import AuditEvent
from practicehub.implementation.models import ActionStatus, Objective, Plan, PlanAction
from practicehub.implementation.services import plan_steps, plans
from practicehub.implementation.tests.helpers import a_plan, an_objective
from practicehub.testing.personas import Personas

D = datetime.date


@pytest.fixture
def plan(personas: Personas) -> Plan:
    lead = personas.fresno.lead
    found = a_plan(lead, personas.fresno.county)
    for text in ("First objective", "Second objective", "Third objective"):
        an_objective(lead, found, text)
    first = found.objectives.get(text="First objective")
    for text, target in (("Late step", D(2026, 9, 1)), ("Early step", D(2026, 3, 1)),
                         ("Middle step", D(2026, 6, 1))):
        plans.add_action(lead, first, text=text, responsible="IT", target_on=target)
    return found


def _texts(objective: Objective) -> list[str]:
    return [a.text for a in PlanAction.objects.filter(objective=objective)]


def test_moving_an_objective_up_changes_the_plan_page_order(personas: Personas, plan: Plan,
                                                            login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    third = plan.objectives.get(text="Third objective")
    response = client.post(reverse("implementation:objective_move", kwargs={"pk": third.pk}),
                           {"direction": "up"})
    assert response.status_code == 302
    assert [o.text for o in plan.objectives.all()] == [
        "First objective", "Third objective", "Second objective"]
    page = client.get(reverse("implementation:plan_detail", kwargs={"pk": plan.pk})).text
    assert page.index("2. Third objective") < page.index("3. Second objective")
    moved = AuditEvent.objects.filter(action="update", changed_fields=["order"],
                                      object_type="implementation.objective")
    assert moved.count() == 2


def test_steps_run_by_target_date_until_moved_then_new_ones_go_last(personas: Personas,
                                                                    plan: Plan) -> None:
    lead = personas.fresno.lead
    first = plan.objectives.get(text="First objective")
    assert _texts(first) == ["Early step", "Middle step", "Late step"]
    late = first.actions.get(text="Late step")
    assert plan_steps.move(lead, late, "up") is True
    assert _texts(first) == ["Early step", "Late step", "Middle step"]
    plans.add_action(lead, first, text="Earliest step, added last", responsible="IT",
                     target_on=D(2026, 1, 1))
    assert _texts(first)[-1] == "Earliest step, added last"
    top = first.actions.get(text="Early step")
    assert plan_steps.move(lead, top, "up") is False


def test_deleting_an_objective_says_which_steps_go_and_audits_each(personas: Personas,
                                                                   plan: Plan,
                                                                   login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    first = plan.objectives.get(text="First objective")
    url = reverse("implementation:objective_delete", kwargs={"pk": first.pk})
    page = client.get(url).text
    assert "Delete the objective “First objective”?" in page
    assert "Action step “Early step” (target 2026-03-01, not started)" in page
    assert page.count("Action step “") == 3
    response = client.post(url, {"edit_version": first.edit_version})
    assert response.status_code == 302
    assert not Objective.objects.filter(pk=first.pk).exists()
    assert not PlanAction.objects.exists()
    deleted = AuditEvent.objects.filter(action="delete")
    assert sorted(deleted.values_list("object_type", flat=True)) == [
        "implementation.objective", *["implementation.planaction"] * 3]
    assert deleted.get(object_type="implementation.objective").object_label == "First objective"


def test_a_delete_from_a_page_older_than_the_last_edit_is_refused(personas: Personas,
                                                                  plan: Plan,
                                                                  login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    step = PlanAction.objects.get(text="Early step")
    seen = step.edit_version
    plan_steps.update_action(personas.fresno.lead, step, text="Early step, reworded",
                             responsible="IT", target_on=step.target_on)
    client.post(reverse("implementation:action_delete", kwargs={"pk": step.pk}),
                {"edit_version": seen})
    assert PlanAction.objects.filter(pk=step.pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_closing_a_step_as_done_needs_its_day_and_is_audited(personas: Personas, plan: Plan,
                                                             login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    step = PlanAction.objects.get(text="Middle step")
    url = reverse("implementation:action_edit", kwargs={"pk": step.pk})
    form = {"text": "Middle step", "responsible": "IT", "target_on": "2026-06-01",
            "status": ActionStatus.DONE, "edit_version": step.edit_version}
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert "give the day the step was closed" in refused.text
    assert client.post(url, {**form, "done_on": "2026-05-28"}).status_code == 302
    step.refresh_from_db()
    assert (step.status, step.done_on) == (ActionStatus.DONE, D(2026, 5, 28))
    event = AuditEvent.objects.get(action="update", object_type="implementation.planaction")
    assert event.changed_fields == ["done_on", "status"]


def test_an_objective_is_closed_and_reopened(personas: Personas, plan: Plan,
                                             login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    second = plan.objectives.get(text="Second objective")
    url = reverse("implementation:objective_close", kwargs={"pk": second.pk})
    client.post(url, {"closed_on": "2026-07-01", "edit_version": second.edit_version})
    page = client.get(reverse("implementation:plan_detail", kwargs={"pk": plan.pk})).text
    assert "closed 2026-07-01" in page
    second.refresh_from_db()
    client.post(url, {"closed_on": "", "edit_version": second.edit_version})
    second.refresh_from_db()
    assert second.closed_on is None


def test_an_edit_of_a_priority_from_an_older_version_is_refused(personas: Personas, plan: Plan,
                                                                login_as: Any) -> None:
    priority = plans.add_priority(personas.fresno.lead, plan, dimension="workforce",
                                  text="Coaching")
    url = reverse("implementation:priority_edit", kwargs={"pk": priority.pk})
    client = login_as(personas.fresno.lead)
    form = {"dimension": "workforce", "text": "Coaching for all", "edit_version": 1}
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "text": "Coaching for supervisors"})
    assert stale.status_code == 409
    priority.refresh_from_db()
    assert priority.text == "Coaching for all"


@pytest.mark.parametrize("name", ["implementation:objective_edit",
                                  "implementation:objective_delete",
                                  "implementation:objective_close"])
def test_another_countys_steps_are_404(personas: Personas, plan: Plan, login_as: Any,
                                       name: str) -> None:
    first = plan.objectives.get(text="First objective")
    client = login_as(personas.humboldt.lead)
    assert client.get(reverse(name, kwargs={"pk": first.pk})).status_code == 404
    assert client.post(reverse("implementation:objective_move", kwargs={"pk": first.pk}),
                       {"direction": "down"}).status_code == 404
    assert plan.objectives.first().text == "First objective"  # type: ignore[union-attr]


def test_dropping_a_step_from_the_plan_page_records_the_day_it_was_closed(
        personas: Personas, plan: Plan, login_as: Any) -> None:
    step = PlanAction.objects.get(text="Late step")
    login_as(personas.fresno.lead).post(
        reverse("implementation:action_status", kwargs={"pk": step.pk}),
        {"status": ActionStatus.DROPPED, "edit_version": step.edit_version})
    step.refresh_from_db()
    assert step.status == ActionStatus.DROPPED
    assert step.done_on == timezone.localdate()
