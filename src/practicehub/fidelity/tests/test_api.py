"""The observation workflow through the JSON API: draft, ratings, submit, amend."""

from __future__ import annotations

from typing import Any

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
