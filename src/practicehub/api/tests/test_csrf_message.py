"""A session-authenticated API write without the CSRF token is told so, with how to send it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from practicehub.fidelity.models import Observation
from practicehub.testing.personas import Personas


@pytest.fixture
def browser(personas: Personas) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.fresno.coach)
    client.get(reverse("core:home"))  # sets the CSRF cookie, as the first page view does
    return client


def test_a_session_write_without_the_token_answers_403_naming_the_csrf_token(
    browser: Client,
) -> None:
    response = browser.post(reverse("api:fidelity_observations"), "{}",
                            content_type="application/json")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "CSRF token missing" in detail
    assert "X-CSRFToken" in detail
    assert "csrftoken" in detail
    assert "Authorization: Bearer" in detail
    assert not Observation.objects.exists()


def test_a_wrong_token_is_named_as_incorrect(browser: Client) -> None:
    response = browser.post(reverse("api:fidelity_observations"), "{}",
                            content_type="application/json",
                            headers={"X-CSRFToken": "x" * 32})
    assert response.status_code == 403
    assert "incorrect" in response.json()["detail"]


def test_a_caller_who_is_not_signed_in_still_gets_401(client: Client, personas: Personas) -> None:
    response = client.post(reverse("api:fidelity_observations"), "{}",
                           content_type="application/json")
    assert response.status_code == 401
