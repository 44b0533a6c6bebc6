"""Ways into coaching (issue 14): a plan starts from the coaching page, a worker's page and the
dashboard's coaching priorities; plans close and goals are met; the observation list links its
export and the import page its guide and template files."""

from __future__ import annotations

import html
from typing import Any

from django.urls import reverse
from django.utils import timezone

from practicehub.fidelity.models import CoachingPlan, ObservationTool
from practicehub.fidelity.services import coaching
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def page_of(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_the_coaching_page_starts_a_plan_for_a_worker_the_coach_picks(
        personas: Personas, tool: ObservationTool, observe: Observe, login_as: Any) -> None:
    fresno = personas.fresno
    observe(fresno.practitioner, fresno.coach, [1, 3, 3, 3, 3])
    client = login_as(fresno.coach)
    page = page_of(client.get(reverse("fidelity:plans")))
    assert f'href="{reverse("fidelity:plan_new")}"' in page
    response = client.post(reverse("fidelity:plan_new"),
                           {"person": fresno.practitioner.pk, "tool": tool.pk}, follow=True)
    plan = CoachingPlan.objects.get()
    assert (plan.person, plan.coach, plan.started_on) == (
        fresno.practitioner, fresno.coach, timezone.localdate())
    assert f"Coaching plan for {fresno.practitioner} started." in page_of(response)
    first = tool.behaviors.order_by("order").first()
    assert list(plan.focus_behaviors.all()) == [first]


def test_a_coaching_priority_of_the_dashboard_opens_the_start_form_on_that_behavior(
        personas: Personas, tool: ObservationTool, observe: Observe, login_as: Any) -> None:
    fresno = personas.fresno
    observe(fresno.practitioner, fresno.coach, [3, 3, 3, 3, 1])
    client = login_as(fresno.coach)
    page = page_of(client.get(reverse("fidelity:dashboard"), {"tool": tool.pk}))
    weakest = tool.behaviors.order_by("order").last()
    assert weakest is not None
    link = f'{reverse("fidelity:plan_new")}?tool={tool.pk}&behavior={weakest.pk}'
    assert link in page
    form = page_of(client.get(link))
    assert f'<option value="{weakest.pk}" selected>' in form
    client.post(reverse("fidelity:plan_new"),
                {"person": fresno.practitioner.pk, "behavior": weakest.pk})
    assert list(CoachingPlan.objects.get().focus_behaviors.all()) == [weakest]


def test_the_worker_page_starts_a_plan_and_says_so(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    fresno = personas.fresno
    client = login_as(fresno.coach)
    url = reverse("fidelity:worker", args=[fresno.practitioner.pk])
    assert reverse("fidelity:plan_start", args=[fresno.practitioner.pk]) in page_of(
        client.get(url))
    response = client.post(reverse("fidelity:plan_start", args=[fresno.practitioner.pk]),
                           {"tool": tool.pk}, follow=True)
    assert "Coaching plan for" in page_of(response)
    assert CoachingPlan.objects.filter(person=fresno.practitioner).count() == 1


def test_a_partner_is_not_offered_a_plan_and_cannot_start_one(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    client = login_as(personas.fresno.partner)
    assert client.get(reverse("fidelity:plan_new")).status_code == 403


def test_a_coach_closes_a_plan_which_then_takes_no_more_sessions(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    fresno = personas.fresno
    plan = coaching.start_plan(fresno.practitioner, fresno.coach, tool, timezone.localdate())
    client = login_as(fresno.coach)
    page = page_of(client.get(reverse("fidelity:plan", args=[plan.pk])))
    assert "Close the plan" in page
    today = timezone.localdate().isoformat()
    response = client.post(reverse("fidelity:plan_close", args=[plan.pk]),
                           {"closed_on": today, "edit_version": plan.edit_version}, follow=True)
    page = page_of(response)
    assert f"Coaching plan closed on {today}." in page
    assert f"closed {today}" in page
    assert "Record session" not in page
    refused = client.post(reverse("fidelity:session_add", args=[plan.pk]),
                          {"held_on": today, "notes": "Late note."}, follow=True)
    assert "start a new plan to coach again" in page_of(refused)
    assert plan.sessions.count() == 0
    assert f"Closed {today}" in page_of(client.get(reverse("fidelity:plans")))


def test_a_plan_cannot_close_before_it_started(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    fresno = personas.fresno
    plan = coaching.start_plan(fresno.practitioner, fresno.coach, tool, timezone.localdate())
    response = login_as(fresno.coach).post(
        reverse("fidelity:plan_close", args=[plan.pk]),
        {"closed_on": "2000-01-01", "edit_version": plan.edit_version}, follow=True)
    assert "A plan cannot close before it started" in page_of(response)
    plan.refresh_from_db()
    assert plan.closed_on is None


def test_a_coach_marks_a_goal_met(personas: Personas, tool: ObservationTool,
                                  login_as: Any) -> None:
    fresno = personas.fresno
    plan = coaching.start_plan(fresno.practitioner, fresno.coach, tool, timezone.localdate())
    goal = coaching.add_goal(plan, "Names a strength in every visit.", None, None)
    client = login_as(fresno.coach)
    assert reverse("fidelity:goal_met", args=[goal.pk]) in page_of(
        client.get(reverse("fidelity:plan", args=[plan.pk])))
    today = timezone.localdate().isoformat()
    response = client.post(reverse("fidelity:goal_met", args=[goal.pk]),
                           {"achieved_on": today, "edit_version": goal.edit_version},
                           follow=True)
    page = page_of(response)
    assert f"Goal marked met on {today}." in page
    assert f"met {today}" in page
    worker = login_as(fresno.practitioner)
    assert worker.post(reverse("fidelity:goal_met", args=[goal.pk]),
                       {"achieved_on": today, "edit_version": 2}).status_code in {403, 404}


def test_the_observation_list_links_its_own_export(
        personas: Personas, tool: ObservationTool, observe: Observe, login_as: Any) -> None:
    observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3, 3, 3, 3])
    page = page_of(login_as(personas.fresno.coach).get(reverse("fidelity:observations")))
    assert f'href="{reverse("fidelity:observation_export")}?' in page
    assert "Download every observation these filters match, one row per rating" in page
    assert "format=xlsx" in page  # the same rows as Excel


def test_the_import_page_links_its_guide_and_a_template_per_tool(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    page = page_of(client.get(reverse("fidelity:observation_import")))
    assert 'href="#guide"' in page
    assert 'id="guide"' in page
    template = reverse("fidelity:observation_template", args=[tool.pk])
    assert f'href="{template}"' in page
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    header = client.get(template).content.decode("utf-8-sig").strip()
    assert header == ",".join(["reference", "worker", "observer", "observer_kind",
                               "observed_on", "setting", "paired_with", "notes", *codes])
    redcap = client.get(template, {"format": "redcap"}).content.decode("utf-8-sig")
    assert redcap.startswith("record_id,worker_username,")
