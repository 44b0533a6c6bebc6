"""One search across observations, coaching plans, behaviors and lessons, scoped to the user;
person-level results are audited like the pages they link to (issue 14)."""

from __future__ import annotations

import datetime
import html
from typing import Any

from django.urls import reverse

from practicehub.audit.models import AuditEvent
from practicehub.fidelity.models import ObservationTool, Setting
from practicehub.fidelity.services import coaching
from practicehub.fidelity.services.observations import NewObservation, start_observation
from practicehub.fidelity.tests.conftest import tool as tool  # the five-behavior tool fixture
from practicehub.testing.personas import Personas


def page(client: Any, words: str) -> str:
    return html.unescape(client.get(reverse("core:search"), {"q": words}).content.decode())


def test_a_coach_finds_a_workers_observations_and_plan_and_the_read_is_audited(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    fresno = personas.fresno
    start_observation(NewObservation(
        tool=tool, worker=fresno.practitioner, observer=fresno.coach,
        observed_on=datetime.date(2026, 2, 3), setting=Setting.HOME_VISIT), fresno.coach)
    coaching.start_plan(fresno.practitioner, fresno.coach, tool, datetime.date(2026, 2, 4))
    before = AuditEvent.objects.count()
    found = page(login_as(fresno.coach), fresno.practitioner.last_name)
    assert f"{fresno.practitioner} · 2026-02-03" in found
    assert f"Coaching plan for {fresno.practitioner}" in found
    assert AuditEvent.objects.filter(object_type="core:search").count() == 1
    assert AuditEvent.objects.count() > before


def test_another_county_finds_none_of_fresnos_people(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    fresno = personas.fresno
    start_observation(NewObservation(
        tool=tool, worker=fresno.practitioner, observer=fresno.coach,
        observed_on=datetime.date(2026, 2, 3), setting=Setting.HOME_VISIT), fresno.coach)
    found = page(login_as(personas.humboldt.coach), fresno.practitioner.last_name)
    assert str(fresno.practitioner) not in found
    assert found.count("None found.") >= 2


def test_a_partner_searches_behaviors_but_no_person_level_records(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    found = page(login_as(personas.fresno.partner), "strengths")
    assert "Practice model behaviors" in found
    assert "<h2>Observations</h2>" not in found
    assert "EE-1" in found
    assert not AuditEvent.objects.filter(object_type="core:search").exists()
