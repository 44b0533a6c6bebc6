"""The observation workflow through the JSON API: draft, ratings, submit, amend."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.roles import Role
from practicehub.fidelity.models import Observation, ObservationTool
from practicehub.testing.personas import Personas


def test_the_api_records_submits_and_amends_an_observation(
    personas: Personas, tool: ObservationTool, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    created = client.post("/api/v1/fidelity/observations", {
        "tool_id": tool.pk, "worker": "fresno_worker", "observed_on": "2025-03-04",
        "setting": "cft_meeting"}, content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    rated = client.put(f"/api/v1/fidelity/observations/{pk}/ratings",
                       {"ratings": {code: "3" for code in codes}, "edit_version": 1},
                       content_type="application/json")
    assert rated.json()["ratings"][codes[0]] == 3
    submitted = client.post(f"/api/v1/fidelity/observations/{pk}/submit",
                            headers={"If-Match": rated["ETag"]})
    assert submitted.json()["status"] == "submitted"
    locked = client.put(f"/api/v1/fidelity/observations/{pk}/ratings",
                        {"ratings": {codes[0]: "1"}, "edit_version": 3},
                        content_type="application/json")
    assert locked.status_code == 422
    amended = client.post(f"/api/v1/fidelity/observations/{pk}/amendments",
                          {"ratings": {codes[0]: "1"}, "reason": "Wrong column",
                           "edit_version": submitted.json()["edit_version"]},
                          content_type="application/json")
    assert amended.json()["ratings"][codes[0]] == 1
    scores = client.get("/api/v1/fidelity/scores",
                        {"tool_id": tool.pk, "node": "fresno-central", "by": "behavior"}).json()
    assert scores[0]["rated"] == 1
    assert scores[0]["proficient"] == 0


def test_a_worker_outside_the_callers_sites_answers_404_and_nothing_is_recorded(
    personas: Personas, tool: ObservationTool, login_as: Any,
) -> None:
    before = Observation.objects.count()
    response = login_as(personas.fresno.coach).post("/api/v1/fidelity/observations", {
        "tool_id": tool.pk, "worker": "humboldt_worker", "observed_on": "2025-03-04",
        "setting": "cft_meeting"}, content_type="application/json")
    assert response.status_code == 404
    assert Observation.objects.count() == before


def test_the_api_refuses_a_worker_the_observation_page_does_not_offer(
    personas: Personas, tool: ObservationTool, login_as: Any,
) -> None:
    """A second coach of the same office is someone the coach sees, but not a practitioner: the
    page does not offer them and refuses the post, and the API answers 404 (one rule for both:
    fidelity.services.access.observable_workers)."""
    colleague = ensure_person(DemoLogin("fresno_colleague", "Cole", "League", Role.COACH,
                                        personas.fresno.office.code), password="x")
    coach = login_as(personas.fresno.coach)
    before = Observation.objects.count()
    page = coach.get(reverse("fidelity:observation_start")).content.decode()
    assert "Fresno Worker" in page  # the practitioner of the unit is offered
    assert "League" not in page
    posted = coach.post(reverse("fidelity:observation_start"), {
        "tool": tool.pk, "worker": colleague.pk, "observed_on": "2025-03-04",
        "setting": "cft_meeting", "observer_kind": "coach"})
    assert posted.status_code == 400
    assert "Select a valid choice" in posted.content.decode()
    response = coach.post("/api/v1/fidelity/observations", {
        "tool_id": tool.pk, "worker": "fresno_colleague", "observed_on": "2025-03-04",
        "setting": "cft_meeting"}, content_type="application/json")
    assert response.status_code == 404
    assert Observation.objects.count() == before
