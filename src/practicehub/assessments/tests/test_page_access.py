"""Every assessment URL and API route: another county answers 404, a missing capability 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from practicehub.assessments.models import ItemScore
from practicehub.assessments.tests.world import ITEMS, AssessmentWorld, build_assessment_world
from practicehub.implementation.models import PlanAction
from practicehub.testing.personas import Personas


@pytest.fixture
def world(personas: Personas) -> AssessmentWorld:
    return build_assessment_world(personas)


def test_results_open_in_the_county_and_are_404_elsewhere(world: AssessmentWorld,
                                                          personas: Personas,
                                                          login_as: Any) -> None:
    url = reverse("assessments:administration", args=[world.second.pk])
    page = login_as(personas.fresno.regional_support).get(url)
    assert page.status_code == 200
    assert "Drivers capacity assessment: profile of sub-scales" in page.text
    assert "<svg" in page.text
    assert "+" in page.text  # the change since the first administration
    assert login_as(personas.humboldt.lead).get(url).status_code == 404


def test_a_partner_on_the_team_sees_the_results_but_not_the_votes(
    world: AssessmentWorld, personas: Personas, login_as: Any,
) -> None:
    page = login_as(personas.fresno.partner).get(
        reverse("assessments:administration", args=[world.second.pk]))
    assert page.status_code == 200
    assert "Members' votes" not in page.text
    assert login_as(personas.humboldt.partner).get(
        reverse("assessments:administration", args=[world.second.pk])).status_code == 404


@pytest.mark.parametrize("name", ["assessments:scores", "assessments:suggestion_add"])
def test_scoring_needs_the_capability_and_the_scope(name: str, world: AssessmentWorld,
                                                    personas: Personas, login_as: Any) -> None:
    url = reverse(name, args=[world.second.pk])
    assert login_as(personas.fresno.coach).post(url, {}).status_code == 403
    assert login_as(personas.humboldt.lead).post(url, {}).status_code == 404


def test_starting_an_assessment_needs_the_capability(world: AssessmentWorld, personas: Personas,
                                                     login_as: Any) -> None:
    url = reverse("assessments:administration_create")
    assert login_as(personas.fresno.coach).get(url).status_code == 403
    assert login_as(personas.fresno.lead).get(url).status_code == 200


@pytest.mark.parametrize("name", ["assessments:index", "assessments:instrument"])
def test_the_instrument_pages_open_for_anyone_signed_in(name: str, world: AssessmentWorld,
                                                        personas: Personas,
                                                        login_as: Any) -> None:
    kwargs = {"key": "drivers-capacity"} if name == "assessments:instrument" else {}
    page = login_as(personas.humboldt.practitioner).get(reverse(name, kwargs=kwargs))
    assert page.status_code == 200
    assert "Fresno County" not in page.text


def test_the_score_grid_saves_votes_and_scores(world: AssessmentWorld, personas: Personas,
                                               login_as: Any) -> None:
    url = reverse("assessments:scores", args=[world.first.pk])
    client = login_as(personas.fresno.lead)
    assert client.get(url).status_code == 200
    form = {"voters": "Ana, Ben", "edit_version": str(world.first.edit_version)} | {
        f"score-{c}": "1" for c in ITEMS} | {f"vote-{c}-0": "2" for c in ITEMS}
    assert client.post(url, form).status_code == 302
    assert set(ItemScore.objects.filter(administration=world.first).values_list(
        "value", flat=True)) == {1}
    bad = client.post(url, form | {"score-coaching": "",
                                   "edit_version": str(world.first.edit_version + 1)})
    assert bad.status_code == 400
    assert "scores: item &#x27;coaching&#x27;: choose a score" in bad.text


def test_one_click_adds_a_suggestion_to_the_plan(world: AssessmentWorld, personas: Personas,
                                                 login_as: Any) -> None:
    response = login_as(personas.fresno.lead).post(
        reverse("assessments:suggestion_add", args=[world.second.pk]),
        {"item": "fidelity", "plan": world.plan.pk, "target_on": "2026-06-30"})
    assert response.status_code == 302
    assert PlanAction.objects.filter(objective__plan=world.plan).count() == 1


def test_exports_hold_only_records_in_scope(world: AssessmentWorld, personas: Personas,
                                            login_as: Any) -> None:
    url = reverse("assessments:export", args=["votes"]) + "?format=csv"
    assert "Ana" in login_as(personas.fresno.lead).get(url).content.decode("utf-8-sig")
    assert "Ana" not in login_as(personas.humboldt.lead).get(url).content.decode("utf-8-sig")


def test_api_routes_are_scoped_and_guarded(world: AssessmentWorld, personas: Personas,
                                           login_as: Any) -> None:
    detail = reverse("api:assessments_administration", kwargs={"pk": world.second.pk})
    scores = reverse("api:assessments_scores", kwargs={"pk": world.second.pk})
    lead = login_as(personas.fresno.lead)
    assert lead.get(detail).json()["total"]["score"] == "88.9"
    assert lead.get(reverse("api:assessments_instruments")).status_code == 200
    assert len(lead.get(reverse("api:assessments_administrations")).json()) == 2
    other = login_as(personas.humboldt.lead)
    assert other.get(detail).status_code == 404
    assert other.get(reverse("api:assessments_administrations")).json() == []
    assert other.post(scores, {"scores": {}}, content_type="application/json").status_code == 404
    coach = login_as(personas.fresno.coach)
    assert coach.post(scores, {"scores": {}}, content_type="application/json").status_code == 403


def test_the_api_refuses_bad_scores_naming_the_item(world: AssessmentWorld, personas: Personas,
                                                    login_as: Any) -> None:
    response = login_as(personas.fresno.lead).post(
        reverse("api:assessments_scores", kwargs={"pk": world.second.pk}),
        {"scores": dict.fromkeys(ITEMS, 7), "votes": {}, "edit_version": world.second.edit_version},
        content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == ("scores: item 'selection': 7 is not on the scale "
                                         "(0, 1, 2)")
    assert set(ItemScore.objects.filter(administration=world.second).values_list(
        "value", flat=True)) == {0, 2}


@pytest.mark.parametrize(("key", "described"), [
    ("drivers-capacity", "Percent of the maximum possible; target 80%"),
    ("exploration-readiness", "Sum of item scores; target 24"),
    ("implementation-snapshot", "Mean item score; target 3"),
])
def test_the_instrument_page_says_how_it_is_scored(key: str, described: str,
                                                   world: AssessmentWorld, personas: Personas,
                                                   login_as: Any) -> None:
    page = login_as(personas.fresno.lead).get(reverse("assessments:instrument",
                                                      kwargs={"key": key}))
    assert f"<dt>Scoring</dt><dd>{described}</dd>" in page.text
