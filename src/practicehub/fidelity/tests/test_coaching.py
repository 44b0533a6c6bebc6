"""Coaching plans: focus behaviors from developmental ratings, goals, sessions, the cascade."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from practicehub.fidelity.models import CoachingPlan, ObservationTool
from practicehub.fidelity.services import coaching
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def test_a_plan_starts_with_the_behaviors_rated_below_proficient(
    personas: Personas, tool: ObservationTool, observe: Observe,
) -> None:
    observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2, 3, 1, 3])
    plan = coaching.start_plan(personas.fresno.practitioner, personas.fresno.coach, tool,
                               date(2025, 4, 1))
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    assert [row.behavior.code for row in coaching.focus_rows(plan)] == [codes[1], codes[3]]
    assert all(row.expected and row.developmental for row in coaching.focus_rows(plan))


def test_progress_shows_the_focus_behaviors_month_by_month(
    personas: Personas, tool: ObservationTool, observe: Observe,
) -> None:
    observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2, 3, 1, 3],
            on=date(2025, 1, 9))
    plan = coaching.start_plan(personas.fresno.practitioner, personas.fresno.coach, tool,
                               date(2025, 1, 10))
    observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3, 3, 2, 3],
            on=date(2025, 2, 9))
    assert [(p.month.month, p.rated, p.proficient) for p in coaching.progress(plan)] == [
        (1, 2, 0), (2, 2, 1)]


def test_the_cascade_puts_a_workers_plan_under_their_supervisors_plan(
    personas: Personas,
) -> None:
    supervisor = coaching.start_plan(personas.fresno.coach, personas.fresno.lead, None,
                                     date(2025, 1, 1))
    worker = coaching.start_plan(personas.fresno.practitioner, personas.fresno.coach, None,
                                 date(2025, 2, 1))
    rows = coaching.cascade([worker, supervisor])
    assert [(r.depth, r.plan, r.level) for r in rows] == [(0, supervisor, "Supervisor"),
                                                          (1, worker, "Worker")]


def test_a_coach_adds_goals_and_sessions_and_the_worker_reads_them(
    personas: Personas, tool: ObservationTool, login_as: Any,
) -> None:
    coach = login_as(personas.fresno.coach)
    coach.post(reverse("fidelity:plan_start", args=[personas.fresno.practitioner.pk]),
               {"tool": tool.pk})
    plan = CoachingPlan.objects.get()
    coach.post(reverse("fidelity:goal_add", args=[plan.pk]),
               {"text": "Open each visit by asking what matters to the family"})
    coach.post(reverse("fidelity:session_add", args=[plan.pk]),
               {"held_on": "2025-03-01", "notes": "Role-played openings", "follow_ups": "Try it"})
    page = login_as(personas.fresno.practitioner).get(
        reverse("fidelity:plan", args=[plan.pk])).content.decode()
    assert "Open each visit by asking what matters to the family" in page
    assert "Role-played openings" in page
    assert "Record session" not in page


def test_another_countys_plan_answers_404(personas: Personas, login_as: Any) -> None:
    plan = coaching.start_plan(personas.humboldt.practitioner, personas.humboldt.coach, None,
                               date(2025, 1, 1))
    client = login_as(personas.fresno.coach)
    assert client.get(reverse("fidelity:plan", args=[plan.pk])).status_code == 404
    assert client.post(reverse("fidelity:session_add", args=[plan.pk]),
                       {"held_on": "2025-03-01", "notes": "x"}).status_code == 404
