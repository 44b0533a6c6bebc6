"""The fidelity-and-outcomes page for each persona, on the world of test_beside_outcomes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practicehub.audit.models import AuditEvent
from practicehub.fidelity.tests.test_beside_outcomes import World, build_world
from practicehub.outcomes.data import store
from practicehub.outcomes.services.access import default_database
from practicehub.outcomes.tests.builders import child, episode, placement, population, write_data
from practicehub.testing.personas import Personas

URL = reverse("fidelity:outcomes")
PERIOD = {"period": "2024-01-01:2024-12-31"}
CAUTION = "this does not show that fidelity causes the outcomes"


@pytest.fixture
def world(personas: Personas, settings: Any, tmp_path: Path) -> World:
    return build_world(personas, settings, tmp_path)


def _rows(response: Any, level: str) -> dict[str, Any]:
    return {row.key: row for row in getattr(response.context["result"], level)}


def test_a_coach_asking_for_another_countys_office_or_worker_gets_404(
    world: World, personas: Personas, login_as: Any,
) -> None:
    client: Client = login_as(personas.fresno.coach)
    assert client.get(URL, {"office": "humboldt-eureka"}).status_code == 404
    assert client.get(URL, {"worker": "humboldt_worker"}).status_code == 404
    assert client.get(URL, {"worker": "fresno_lead"}).status_code == 404


def test_a_coach_sees_the_office_and_its_workers_with_small_counts_suppressed(
    world: World, personas: Personas, login_as: Any,
) -> None:
    response = login_as(personas.fresno.coach).get(URL, PERIOD)
    assert response.status_code == 200
    assert CAUTION in response.content.decode()
    assert set(_rows(response, "offices")) == {"fresno-central"}
    assert set(_rows(response, "workers")) == {"fresno_worker", "fresno_worker2"}
    office = _rows(response, "offices")["fresno-central"]
    assert office.outcome("permanency_12m_entries").suppressed
    assert "Suppressed (small number)" in response.content.decode()
    assert "humboldt" not in response.content.decode().lower()


def test_a_practitioner_sees_only_their_own_row(
    world: World, personas: Personas, login_as: Any,
) -> None:
    response = login_as(world.worker).get(URL, PERIOD)
    assert set(_rows(response, "workers")) == {"fresno_worker"}
    assert _rows(response, "offices") == {}
    assert "Second" not in response.content.decode()
    assert login_as(world.worker).get(URL, {"worker": "fresno_worker2"}).status_code == 404


def test_an_evaluator_sees_unsuppressed_office_outcomes_but_no_workers(
    world: World, personas: Personas, login_as: Any,
) -> None:
    response = login_as(personas.fresno.evaluator).get(URL, PERIOD)
    office = _rows(response, "offices")["fresno-central"]
    permanency = office.outcome("permanency_12m_entries")
    assert (permanency.suppressed, permanency.numerator, permanency.denominator) == (False, 1, 3)
    # Two observed workers: too few for someone who may not see workers.
    assert office.fidelity is not None
    assert office.fidelity.hidden
    assert _rows(response, "workers") == {}


def test_viewing_other_workers_rows_is_audited_and_viewing_ones_own_is_not(
    world: World, personas: Personas, login_as: Any,
) -> None:
    login_as(world.worker).get(URL, PERIOD)
    assert not AuditEvent.objects.filter(object_type="fidelity:outcomes").exists()
    login_as(personas.fresno.coach).get(URL, PERIOD)
    event = AuditEvent.objects.get(object_type="fidelity:outcomes")
    assert (event.actor, event.action) == (personas.fresno.coach, "view")


def test_a_bad_period_says_why_and_shows_the_default(
    world: World, personas: Personas, login_as: Any,
) -> None:
    response = login_as(personas.fresno.coach).get(URL, {"period": "last year"})
    assert response.status_code == 200
    assert "showing the default period" in response.content.decode()


def test_without_outcome_data_the_page_says_so(
    personas: Personas, login_as: Any, settings: Any, tmp_path: Path,
) -> None:
    settings.OUTCOMES_DIR = tmp_path / "nothing"
    response = login_as(personas.fresno.coach).get(URL)
    assert response.status_code == 200
    assert "There is no outcome data yet" in response.content.decode()
    assert CAUTION in response.content.decode()


def test_the_fidelity_dashboard_links_to_the_page(
    world: World, personas: Personas, login_as: Any,
) -> None:
    response = login_as(personas.fresno.coach).get(reverse("fidelity:dashboard"))
    assert URL in response.content.decode()


def test_without_case_assignments_the_page_says_they_are_needed(
    personas: Personas, login_as: Any, settings: Any, tmp_path: Path,
) -> None:
    settings.OUTCOMES_DIR = tmp_path / "outcomes"
    source = write_data(tmp_path / "data", children=[child("C1")],
                        episodes=[episode("E1", "C1", "2024-02-01", office="fresno-central")],
                        placements=[placement("E1", "2024-02-01")],
                        populations=[population("06019", 2024, "white", 5, 1000)])
    store.import_directory(source, default_database())
    response = login_as(personas.fresno.coach).get(URL)
    assert "The outcome data hold no case assignments" in response.content.decode()
