"""The support log's competencies come from the published implementation-support profile."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from practicehub.implementation.models import SupportActivity
from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import Personas

pytestmark = pytest.mark.django_db

ACTIVITY = {"site": "fresno", "kind": "site_visit", "occurred_on": "2026-03-01",
            "duration_minutes": 60, "mode": "onsite"}


def test_the_api_refuses_an_unknown_competency_naming_it(personas: Personas,
                                                         login_as: Any) -> None:
    load_shipped_models()
    client = login_as(personas.fresno.lead)
    response = client.post(reverse("api:implementation_support_log"),
                           {**ACTIVITY, "competencies": ["facilitation", "juggling"]},
                           content_type="application/json")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("competencies: unknown competency 'juggling': not in the "
                             "implementation-support profile (known: co_learning, brokering")
    assert not SupportActivity.objects.exists()


def test_a_known_competency_is_stored_and_shown_by_its_domain(personas: Personas,
                                                              login_as: Any) -> None:
    load_shipped_models()
    client = login_as(personas.fresno.lead)
    response = client.post(reverse("api:implementation_support_log"),
                           {**ACTIVITY, "competencies": ["teams", "co_design"]},
                           content_type="application/json")
    assert response.status_code == 201
    assert SupportActivity.objects.get().competencies == ["co_design", "teams"]
    export = client.get(reverse("implementation:export", args=["support"]) + "?format=csv")
    assert ("Co-creation and engagement: Designs together; Sustaining change: Develops teams"
            in export.content.decode("utf-8-sig"))


def test_without_a_published_profile_no_competency_can_be_named(personas: Personas,
                                                                login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    response = client.post(reverse("api:implementation_support_log"),
                           {**ACTIVITY, "competencies": ["teams"]},
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "competencies: no implementation-support profile is published, so no competency can be "
        "named (got 'teams')")


def test_the_form_offers_the_profiles_competencies(personas: Personas, login_as: Any) -> None:
    load_shipped_models()
    page = login_as(personas.fresno.lead).get(reverse("implementation:support_create"))
    assert "Sustaining change: Cultivates leaders and champions" in page.text
    assert "Ongoing improvement: Runs improvement cycles" in page.text
