from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from practicehub.accounts.services.tokens import issue_token, revoke_token
from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import Personas


def test_a_token_lets_a_script_call_the_api(personas: Personas, client: Client) -> None:
    _, raw = issue_token(personas.fresno.coach, "nightly export")
    response = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["roles"] == [{"role": "coach", "node_code": "fresno-central",
                                         "node_name": "Fresno Central office"}]


def test_a_revoked_or_wrong_token_answers_401(personas: Personas, client: Client) -> None:
    token, raw = issue_token(personas.fresno.coach, "old")
    revoke_token(token)
    for key in (raw, "ph_not-a-token"):
        response = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 401


def test_only_the_hash_of_a_token_is_stored(personas: Personas) -> None:
    token, raw = issue_token(personas.fresno.coach, "x")
    assert raw not in token.key_hash
    assert token.prefix == raw[:8]


def test_the_node_list_is_scoped_to_the_caller(personas: Personas, login_as: Any) -> None:
    codes = {node["code"] for node in login_as(personas.humboldt.lead)
             .get("/api/v1/accounts/nodes").json()}
    assert "humboldt-eureka" in codes
    assert "fresno" not in codes


@pytest.mark.django_db
def test_the_openapi_document_lists_the_routes(personas: Personas, login_as: Any) -> None:
    document = login_as(personas.fresno.coach).get("/api/v1/openapi.json").json()
    assert "/api/v1/accounts/me" in document["paths"]
    assert "/api/v1/practice-model/versions/{key}/{version}" in document["paths"]


def test_a_practice_model_version_comes_back_in_the_file_structure(
    personas: Personas, login_as: Any,
) -> None:
    load_shipped_models()
    client = login_as(personas.fresno.practitioner)
    document = client.get("/api/v1/practice-model/versions/cfpm/2026.1").json()
    assert document["key"] == "cfpm"
    assert len(document["behaviors"]) >= 23
    assert client.get("/api/v1/practice-model/versions/cfpm/1999").status_code == 404
