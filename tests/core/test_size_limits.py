"""Request size limits: a body over the limit is refused before anything reads it, naming the
limit and the size, as JSON for the API and as a page elsewhere."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse

from practicehub.accounts.models import User
from practicehub.fidelity.models import Observation
from practicehub.testing.personas import Personas


def test_an_oversize_api_body_answers_413_json_naming_the_limit(
    personas: Personas, login_as: Any, settings: Any,
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"notes": "x" * 5000})
    response = login_as(personas.fresno.coach).post(
        "/api/v1/fidelity/observations", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert answer["limit_bytes"] == 1024
    assert answer["size_bytes"] == len(body)
    assert answer["detail"] == "The request body is 4.9 KB; the largest accepted is 1 KB."
    assert Observation.objects.count() == 0


def test_an_oversize_api_body_is_refused_before_sign_in_is_checked(settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = Client().post("/api/v1/fidelity/observations", "x" * 2048,
                             content_type="application/json")
    assert response.status_code == 413
    assert "largest accepted is 1 KB" in response.json()["detail"]


def test_an_oversize_form_post_answers_a_page_naming_the_limit_not_a_bare_400(
    personas: Personas, login_as: Any, settings: Any,
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    response = login_as(personas.state_admin).post(
        reverse("accounts:person_create"),
        urlencode({"username": "someone", "first_name": "y" * 4000}),
        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    page = response.content.decode()
    assert "The request is too large" in page
    assert "the largest accepted is 2 KB" in page
    assert "Nothing was saved." in page
    assert not User.objects.filter(username="someone").exists()


def test_a_body_under_the_limit_goes_through(
    personas: Personas, login_as: Any, settings: Any,
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = login_as(personas.fresno.coach).post(
        "/api/v1/fidelity/observations", json.dumps({"notes": "short"}),
        content_type="application/json")
    assert response.status_code not in (400, 413)
    assert "largest accepted" not in response.content.decode()
