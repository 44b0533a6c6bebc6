"""Every API operation declares the errors it can give, and each comes back with its body."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practicehub.implementation.models import PlanAction
from practicehub.implementation.tests.world import World, build_world
from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import Personas

METHODS = {"get", "put", "post", "patch", "delete"}
OUTCOMES = "/api/v1/outcomes/"


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, operation) for path, item in document["paths"].items()
            for method, operation in item.items()
            if method in METHODS]


def _schema_name(answer: dict[str, Any]) -> str:
    return str(answer["content"]["application/json"]["schema"]["$ref"]).rsplit("/", 1)[-1]


def _names_edit_version(document: dict[str, Any], operation: dict[str, Any]) -> bool:
    if any(p["name"] == "edit_version" for p in operation.get("parameters", [])):
        return True
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = body.get("schema", {}).get("$ref", "")
    schema = document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    return "edit_version" in schema.get("properties", {})


@pytest.mark.django_db
def test_every_operation_declares_the_errors_it_can_give(personas: Personas,
                                                         login_as: Any) -> None:
    document = login_as(personas.fresno.coach).get("/api/v1/openapi.json").json()
    operations = _operations(document)
    assert len(operations) >= 20
    assert sum(path.startswith(OUTCOMES) for path, _, _ in operations) == 3
    for path, method, operation in operations:
        answers = operation["responses"]
        where = f"{method.upper()} {path}"
        assert _schema_name(answers["401"]) == "ErrorOut", where
        assert _schema_name(answers["403"]) == "ErrorOut", where
        if "{" in path:
            assert _schema_name(answers["404"]) == "ErrorOut", where
        if operation.get("parameters") or operation.get("requestBody"):
            assert _schema_name(answers["422"]) == "RefusalOut", where
        if _names_edit_version(document, operation):
            assert _schema_name(answers["409"]) == "StaleOut", where
            assert _schema_name(answers["428"]) == "ErrorOut", where
        if path.startswith(OUTCOMES):
            assert _schema_name(answers["503"]) == "ErrorOut", where


def test_an_anonymous_caller_is_told_to_sign_in(client: Client) -> None:
    response = client.get("/api/v1/accounts/me")
    assert (response.status_code, response.json()) == (401, {
        "detail": "Sign in or send an API token."})


def test_a_missing_parameter_is_refused_naming_it(personas: Personas, login_as: Any) -> None:
    response = login_as(personas.fresno.coach).get("/api/v1/fidelity/scores",
                                                   {"node": "fresno-central"})
    assert response.status_code == 422
    assert response.json() == {"detail": "tool_id: Field required", "problems": [
        {"message": "Field required", "field": "tool_id", "line": None, "column": None,
         "source": None}]}


def test_an_unknown_model_version_answers_404_naming_what_is_stored(
    personas: Personas, login_as: Any,
) -> None:
    load_shipped_models()
    response = login_as(personas.fresno.coach).get("/api/v1/practice-model/versions/cfpm/1999")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("no version 1999 of cfpm; stored versions: ")


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)


def test_refused_input_answers_422_with_the_field_to_fix(world: World, personas: Personas,
                                                         login_as: Any) -> None:
    response = login_as(personas.fresno.lead).post(reverse("api:implementation_support_log"), {
        "site": "humboldt", "kind": "site_visit", "occurred_on": "2026-03-01",
        "duration_minutes": 60, "mode": "onsite"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {"detail": "site: no site 'humboldt' in your scope", "problems": [
        {"message": "no site 'humboldt' in your scope", "field": "site", "line": None,
         "column": None, "source": None}]}


def test_a_change_the_roles_do_not_allow_answers_403_and_one_outside_scope_404(
    world: World, personas: Personas, login_as: Any,
) -> None:
    url = reverse("api:implementation_action_status", kwargs={"pk": world.action.pk})
    change = {"status": "done", "edit_version": world.action.edit_version}
    coach = login_as(personas.fresno.coach).post(url, change, content_type="application/json")
    assert (coach.status_code, coach.json()) == (403, {
        "detail": "Your roles do not allow this."})
    other = login_as(personas.humboldt.lead).post(url, change, content_type="application/json")
    assert (other.status_code, other.json()) == (404, {"detail": "Not Found"})
    assert PlanAction.objects.get(pk=world.action.pk).status == world.action.status


def test_a_stale_update_answers_409_with_what_is_saved_now(world: World, personas: Personas,
                                                           login_as: Any) -> None:
    url = reverse("api:implementation_action_status", kwargs={"pk": world.action.pk})
    client = login_as(personas.fresno.lead)
    first = client.post(url, {"status": "done", "edit_version": world.action.edit_version},
                        content_type="application/json")
    assert first.status_code == 200
    stale = client.post(url, {"status": "in_progress", "edit_version": world.action.edit_version},
                        content_type="application/json")
    assert stale.status_code == 409
    body = stale.json()
    assert body["edit_version"] == first.json()["edit_version"]
    assert [change["field"] for change in body["changed"]] == ["status"]
    assert body["detail"].startswith("Someone else saved this")
