"""The practice model browser: everyone signed in reads; only model changers draft and publish."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from practicehub.practice_model.models import Behavior, ModelVersion
from practicehub.practice_model.services import find_version, load_shipped_models, start_draft
from practicehub.testing.personas import Personas


@pytest.fixture
def cfpm(db: None) -> ModelVersion:
    load_shipped_models()
    return find_version("cfpm")


def url(name: str, version: ModelVersion, *more: str) -> str:
    return reverse(f"practice_model:{name}", args=[version.key, version.label, *more])


def test_a_practitioner_browses_practices_elements_and_behaviors(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    client = login_as(personas.fresno.practitioner)
    assert b"California Child and Family Practice Model" in client.get(
        reverse("practice_model:index")).content
    page = client.get(url("version", cfpm)).content.decode()
    for heading in ("<h3>Circle of Support</h3>", "<h4>Teaming</h4>", "Leadership behaviors"):
        assert heading in page
    assert url("behavior", cfpm, "CS-1") in page
    assert "Start a new draft" not in page


def test_a_behavior_page_shows_its_descriptor_at_each_level(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    page = login_as(personas.fresno.coach).get(url("behavior", cfpm, "EE-1")).content.decode()
    assert "<caption>What EE-1 looks like at each level, strongest first</caption>" in page
    expected = page.index(">Expected</th>")
    assert expected < page.index(">Developmental</th>") < page.index(">Unacceptable</th>")


def test_values_capacity_and_the_issue_chart_have_their_own_pages(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    client = login_as(personas.humboldt.partner)
    assert "<h2>The Power of Family</h2>" in client.get(url("values", cfpm)).content.decode()
    assert "<h2>Training, coaching and supervision</h2>" in client.get(
        url("capacity", cfpm)).content.decode()
    chart = client.get(url("systemic_issues", cfpm)).content.decode()
    assert "<caption>Which front-line practice answers each systemic issue</caption>" in chart
    assert chart.count("Answers</td>") == 4
    assert chart.count('<span class="usa-sr-only">Does not answer</span>') == 12


def test_an_unknown_version_or_behavior_answers_404(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    client = login_as(personas.fresno.coach)
    assert client.get(reverse("practice_model:version", args=["cfpm", "1999"])).status_code == 404
    assert client.get(url("behavior", cfpm, "ZZ-9")).status_code == 404


def test_without_the_model_capability_drafting_and_publishing_are_forbidden(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    client = login_as(personas.fresno.lead)
    assert client.post(url("start_draft", cfpm), {"label": "2026.2"}).status_code == 403
    assert client.post(url("publish", cfpm)).status_code == 403
    assert client.get(url("behavior_edit", cfpm, "EE-1")).status_code == 403
    assert ModelVersion.objects.filter(key="cfpm").count() == 1


def test_a_state_admin_starts_a_draft_edits_a_behavior_and_publishes_it(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    client = login_as(personas.state_admin)
    assert "Start a new draft" in client.get(url("version", cfpm)).content.decode()
    response = client.post(url("start_draft", cfpm), {"label": "2026.2"})
    draft = ModelVersion.objects.get(key="cfpm", label="2026.2")
    assert response.status_code == 302
    assert response["Location"] == url("version", draft)
    form = client.get(url("behavior_edit", draft, "EE-1")).content.decode()
    assert '<label class="usa-label" for="id_level_expected">' in form
    fields = {"text": "Opens with the family's strengths.", "wording": "local",
              "level_expected": "Always.", "level_developmental": "Sometimes.",
              "level_unacceptable": "Never.",
              "edit_version": Behavior.objects.get(version=draft, code="EE-1").edit_version}
    assert client.post(url("behavior_edit", draft, "EE-1"), fields).status_code == 302
    assert Behavior.objects.get(version=draft, code="EE-1").text == fields["text"]
    client.post(url("publish", draft))
    draft.refresh_from_db()
    assert draft.is_published
    assert Behavior.objects.get(version=cfpm, code="EE-1").text != fields["text"]


def test_the_behavior_form_shows_errors_and_saves_nothing(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    draft = start_draft(cfpm, "2026.2")
    response = login_as(personas.state_admin).post(
        url("behavior_edit", draft, "EE-1"), {"text": "", "wording": "local", "edit_version": 1})
    assert response.status_code == 400
    assert "usa-error-message" in response.content.decode()
    assert Behavior.objects.get(version=draft, code="EE-1").text.startswith("Uses appreciative")


def test_a_taken_draft_label_is_shown_as_a_form_error(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    response = login_as(personas.state_admin).post(url("start_draft", cfpm),
                                                   {"label": "2026.1"})
    assert response.status_code == 400
    assert "cfpm@2026.1 already exists" in response.content.decode()


def test_a_published_version_offers_no_behavior_edit(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    client = login_as(personas.state_admin)
    assert "Edit this behavior" not in client.get(url("behavior", cfpm, "EE-1")).content.decode()
    response = client.post(url("behavior_edit", cfpm, "EE-1"), {"text": "Changed."})
    assert response.status_code == 302
    assert Behavior.objects.get(version=cfpm, code="EE-1").text.startswith("Uses appreciative")


def test_a_practitioner_gets_403_on_changing_the_model(
    personas: Personas, login_as: Any, cfpm: ModelVersion,
) -> None:
    client = login_as(personas.fresno.practitioner)
    assert client.get(url("version", cfpm)).status_code == 200
    assert client.post(url("start_draft", cfpm), {"label": "2026.9"}).status_code == 403
    assert client.post(url("behavior_edit", cfpm, "EE-1"), {"text": "changed"}).status_code == 403
    assert ModelVersion.objects.filter(key="cfpm").count() == 1
