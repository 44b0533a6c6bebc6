"""The JSON bodies clients read, field for field, for a few routes of each app: the routes now
build ninja Schemas, and the bodies stay what clients were given before."""

from __future__ import annotations

from datetime import date
from typing import Any

from practicehub.assessments.tests.world import build_assessment_world
from practicehub.fidelity.models import ObservationTool, Setting
from practicehub.fidelity.services.observations import (
    NewObservation,
    ToolSpec,
    create_tool,
    save_draft,
    start_observation,
    submit,
)
from practicehub.implementation.tests.world import build_world
from practicehub.practice_model.services import find_version, load_shipped_models
from practicehub.testing.personas import Personas


def test_who_am_i_and_the_model_version_keep_their_fields(personas: Personas,
                                                          login_as: Any) -> None:
    load_shipped_models()
    client = login_as(personas.fresno.lead)
    assert client.get("/api/v1/accounts/me").json() == {
        "username": "fresno_lead", "full_name": "Fresno Lead",
        "roles": [{"role": "county_lead", "node_code": "fresno", "node_name": "Fresno County"}]}
    version = client.get("/api/v1/practice-model/versions/cfpm/2026.1").json()
    assert sorted(version) == ["behaviors", "capacity_areas", "description", "elements",
                               "format", "framework", "key", "name", "practices",
                               "profile_levels", "provenance", "status", "systemic_issues",
                               "values", "version"]
    assert version["behaviors"][0]["code"] == "EE-1"
    assert sorted(version["behaviors"][0]) == ["code", "descriptors", "element", "practice",
                                               "set", "text", "wording"]


def test_a_team_and_the_dosage_keep_their_fields(personas: Personas, login_as: Any) -> None:
    world = build_world(personas)
    client = login_as(personas.fresno.lead)
    assert client.get(f"/api/v1/implementation/teams/{world.team.pk}").json() == {
        "id": world.team.pk, "name": "Implementation team", "kind": "it", "site": "fresno",
        "cadence": "monthly", "purpose": "", "decision_authority": "",
        "communication_protocol": "",
        "members": [{"name": "Fresno Partner", "role": "member", "organisation": None}]}
    assert client.get("/api/v1/implementation/dosage").json() == [
        {"breakdown": "site", "group": "Fresno County", "activities": 1, "hours": "1.0"},
        {"breakdown": "month", "group": "2026-02", "activities": 1, "hours": "1.0"},
        {"breakdown": "kind", "group": "Strategic call", "activities": 1, "hours": "1.0"},
        {"breakdown": "provider", "group": "Fresno Regional", "activities": 1, "hours": "1.0"}]


def test_an_administration_keeps_its_scores_and_fields(personas: Personas,
                                                       login_as: Any) -> None:
    world = build_assessment_world(personas)
    client = login_as(personas.fresno.lead)
    listed = client.get("/api/v1/assessments/administrations").json()
    assert listed[0] == {"id": world.second.pk, "instrument": "drivers-capacity",
                         "version": "2026.1", "site": "fresno", "team": "Implementation team",
                         "administered_on": "2026-02-01", "method": "consensus"}
    detail = client.get(f"/api/v1/assessments/administrations/{world.second.pk}").json()
    assert detail["total"] == {"code": "total", "name": "Total", "score": "88.9", "raw": 16,
                               "possible": 18, "percent": "88.9", "met_target": True}
    assert detail["subscales"][0] == {"code": "competency", "name": "Competency drivers",
                                      "score": "75.0", "raw": 6, "possible": 8,
                                      "percent": "75.0", "met_target": False}
    assert detail["items"]["fidelity"] == 0
    assert sorted(detail) == ["administered_on", "edit_version", "id", "instrument", "items",
                              "method", "site", "subscales", "team", "total", "version"]


def _observed_tool(personas: Personas) -> tuple[ObservationTool, int]:
    load_shipped_models()
    version = find_version("cfpm")
    behaviors = list(version.behavior_set.filter(behavior_set="practice").order_by("order")[:5])
    tool = create_tool(ToolSpec(name="CFPM practice behaviors", version=version,
                                scale="profile", behaviors=behaviors,
                                settings=[Setting.CFT_MEETING, Setting.HOME_VISIT]))
    coach = personas.fresno.coach
    observation = start_observation(NewObservation(
        tool=tool, worker=personas.fresno.practitioner, observer=coach,
        observed_on=date(2025, 3, 3), setting=Setting.HOME_VISIT), coach)
    save_draft(observation, coach, {b.pk: ("rated", 3) for b in behaviors})
    submit(observation, coach)
    return tool, observation.pk


def test_an_observation_and_its_scores_keep_their_fields(personas: Personas,
                                                         login_as: Any) -> None:
    tool, pk = _observed_tool(personas)
    client = login_as(personas.fresno.lead)
    observation = client.get(f"/api/v1/fidelity/observations/{pk}").json()
    assert observation.pop("submitted_at")
    assert observation == {
        "id": pk, "tool_id": tool.pk, "worker": "fresno_worker", "unit": "fresno-central-unit-a",
        "observer": "fresno_coach", "observer_kind": "coach", "paired_with": None,
        "observed_on": "2025-03-03", "setting": "home_visit", "status": "submitted",
        "ratings": {"EE-1": 3, "EE-2": 3, "EE-3": 3, "EE-4": 3, "EE-5": 3},
        "meets_fidelity": True, "edit_version": 3}
    months = client.get("/api/v1/fidelity/scores",
                        {"tool_id": tool.pk, "node": "fresno", "by": "month"}).json()
    assert months == [{"key": "2025-03-01", "label": "2025-03", "workers": 1, "rated": 5,
                       "proficient": 5, "share": 1.0, "low": 0.5655175352168251, "high": 1.0,
                       "small": True, "hidden": False}]
