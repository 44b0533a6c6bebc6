"""The dates the fidelity pages fill in for you are dates their forms accept back (issue 14)."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils import timezone

from practicehub.fidelity.models import Observation, ObservationTool
from practicehub.fidelity.services import coaching
from practicehub.testing.personas import Personas


def date_input(page: str, name: str) -> str:
    found = re.search(rf'<input type="date" name="{name}" value="([^"]*)"', page)
    assert found, f"no date picker named {name}"
    return found.group(1)


def test_record_an_observation_offers_today_as_a_date_it_then_accepts(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    page = client.get(reverse("fidelity:observation_start")).content.decode()
    today = date_input(page, "observed_on")
    assert today == timezone.localdate().isoformat()
    response = client.post(reverse("fidelity:observation_start"), {
        "tool": tool.pk, "worker": personas.fresno.practitioner.pk, "observed_on": today,
        "setting": "home_visit", "observer_kind": "coach"})
    assert response.status_code == 302, response.content.decode()
    assert Observation.objects.get().observed_on == timezone.localdate()


def test_record_session_offers_today_as_a_date_it_then_accepts(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    fresno = personas.fresno
    plan = coaching.start_plan(fresno.practitioner, fresno.coach, tool, timezone.localdate())
    client = login_as(fresno.coach)
    page = client.get(reverse("fidelity:plan", args=[plan.pk])).content.decode()
    today = date_input(page, "held_on")
    response = client.post(reverse("fidelity:session_add", args=[plan.pk]),
                           {"held_on": today, "notes": "Talked through teaming."}, follow=True)
    assert "Enter a valid date." not in response.content.decode()
    assert plan.sessions.get().held_on == timezone.localdate()
    assert 'rows="10"' in page
    assert 'class="usa-textarea"' in page
