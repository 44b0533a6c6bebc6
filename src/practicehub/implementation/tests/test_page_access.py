"""Every implementation URL and API route: scope (another county answers 404) and role (403
without ``implementation.manage``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from practicehub.implementation.models import Plan, PlanAction, SupportActivity, Team
from practicehub.implementation.tests.world import World, build_world
from practicehub.testing.personas import Personas

Pk = Callable[[World], int]

# URL name → the record of the Fresno world it opens.
PAGES_WITH_RECORD: dict[str, Pk] = {
    "implementation:team_detail": lambda w: w.team.pk,
    "implementation:meeting_detail": lambda w: w.meeting.pk,
    "implementation:plan_detail": lambda w: w.plan.pk,
    "implementation:plan_timeline": lambda w: w.plan.pk,
    "implementation:stage_site": lambda w: w.plan.node_id,
    "implementation:review_detail": lambda w: w.review.pk,
}
LIST_PAGES = ["implementation:index", "implementation:team_list", "implementation:plan_list",
              "implementation:stage_list", "implementation:support_list",
              "implementation:lesson_list", "implementation:review_list"]
MANAGE_PAGES = ["implementation:team_create", "implementation:plan_create",
                "implementation:support_create", "implementation:lesson_create",
                "implementation:review_create"]
MANAGE_POSTS: dict[str, Pk] = {
    "implementation:team_edit": lambda w: w.team.pk,
    "implementation:member_add": lambda w: w.team.pk,
    "implementation:meeting_create": lambda w: w.team.pk,
    "implementation:decision_add": lambda w: w.meeting.pk,
    "implementation:item_add": lambda w: w.meeting.pk,
    "implementation:item_status": lambda w: w.item.pk,
    "implementation:priority_add": lambda w: w.plan.pk,
    "implementation:objective_add": lambda w: w.plan.pk,
    "implementation:action_add": lambda w: w.plan.pk,
    "implementation:action_status": lambda w: w.action.pk,
    "implementation:stage_record": lambda w: w.plan.node_id,
    "implementation:stage_rate": lambda w: w.plan.node_id,
    "implementation:review_edit": lambda w: w.review.pk,
    "implementation:review_decision_add": lambda w: w.review.pk,
    "implementation:priority_edit": lambda w: w.priority.pk,
    "implementation:priority_move": lambda w: w.priority.pk,
    "implementation:priority_delete": lambda w: w.priority.pk,
    "implementation:objective_edit": lambda w: w.action.objective_id,
    "implementation:objective_close": lambda w: w.action.objective_id,
    "implementation:objective_move": lambda w: w.action.objective_id,
    "implementation:objective_delete": lambda w: w.action.objective_id,
    "implementation:action_edit": lambda w: w.action.pk,
    "implementation:action_move": lambda w: w.action.pk,
    "implementation:action_delete": lambda w: w.action.pk,
}
API_WITH_RECORD: dict[str, Pk] = {
    "api:implementation_team": lambda w: w.team.pk,
    "api:implementation_plan": lambda w: w.plan.pk,
    "api:implementation_review": lambda w: w.review.pk,
}
API_LISTS = ["api:implementation_teams", "api:implementation_plans", "api:implementation_stages",
             "api:implementation_support", "api:implementation_dosage",
             "api:implementation_lessons", "api:implementation_reviews"]


@pytest.fixture
def world(personas: Personas) -> World:
    return build_world(personas)


@pytest.mark.parametrize("name", list(PAGES_WITH_RECORD))
def test_a_record_page_opens_for_its_county_and_is_404_for_another(
    name: str, world: World, personas: Personas, login_as: Any,
) -> None:
    url = reverse(name, args=[PAGES_WITH_RECORD[name](world)])
    assert login_as(personas.fresno.lead).get(url).status_code == 200
    assert login_as(personas.humboldt.lead).get(url).status_code == 404


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_list_page_shows_only_records_in_scope(name: str, world: World, personas: Personas,
                                                 login_as: Any) -> None:
    assert login_as(personas.fresno.regional_support).get(reverse(name)).status_code == 200
    page = login_as(personas.humboldt.lead).get(reverse(name))
    assert page.status_code == 200
    assert "Coaching rhythm" not in page.text
    assert "Strategic implementation plan" not in page.text


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_forms_need_the_manage_capability(name: str, world: World, personas: Personas,
                                          login_as: Any) -> None:
    assert login_as(personas.fresno.coach).get(reverse(name)).status_code == 403
    assert login_as(personas.fresno.lead).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", list(MANAGE_POSTS))
def test_changes_are_403_without_the_capability_and_404_in_another_county(
    name: str, world: World, personas: Personas, login_as: Any,
) -> None:
    url = reverse(name, args=[MANAGE_POSTS[name](world)])
    assert login_as(personas.fresno.coach).post(url, {}).status_code == 403
    assert login_as(personas.humboldt.lead).post(url, {}).status_code == 404


@pytest.mark.parametrize("name", list(API_WITH_RECORD))
def test_api_records_are_404_in_another_county(name: str, world: World, personas: Personas,
                                               login_as: Any) -> None:
    url = reverse(name, kwargs={"pk": API_WITH_RECORD[name](world)})
    assert login_as(personas.fresno.lead).get(url).status_code == 200
    assert login_as(personas.humboldt.lead).get(url).status_code == 404


@pytest.mark.parametrize("name", API_LISTS)
def test_api_lists_hold_only_records_in_scope(name: str, world: World, personas: Personas,
                                              login_as: Any) -> None:
    assert login_as(personas.fresno.lead).get(reverse(name)).json() != []
    assert login_as(personas.humboldt.lead).get(reverse(name)).json() == []


def test_api_changes_need_the_capability_and_scope(world: World, personas: Personas,
                                                   login_as: Any) -> None:
    status_url = reverse("api:implementation_action_status", kwargs={"pk": world.action.pk})
    log_url = reverse("api:implementation_support_log")
    coach = login_as(personas.fresno.coach)
    assert coach.post(status_url, {"status": "done"}, content_type="application/json"
                      ).status_code == 403
    assert coach.post(log_url, {}, content_type="application/json").status_code == 403
    other = login_as(personas.humboldt.lead)
    assert other.post(status_url, {"status": "done"}, content_type="application/json"
                      ).status_code == 404


def test_the_api_refuses_a_bad_activity_naming_the_field(world: World, personas: Personas,
                                                         login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    before = SupportActivity.objects.count()
    response = client.post(reverse("api:implementation_support_log"), {
        "site": "fresno", "kind": "site_visit", "occurred_on": "2026-03-01",
        "duration_minutes": 0, "mode": "onsite"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"].startswith("duration_minutes:")
    assert SupportActivity.objects.count() == before
    response = client.post(reverse("api:implementation_support_log"), {
        "site": "humboldt", "kind": "site_visit", "occurred_on": "2026-03-01",
        "duration_minutes": 60, "mode": "onsite"}, content_type="application/json")
    assert response.json()["detail"] == "site: no site 'humboldt' in your scope"


def test_the_api_marks_an_action_done(world: World, personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    url = reverse("api:implementation_action_status", kwargs={"pk": world.action.pk})
    response = client.post(url, {"status": "done", "edit_version": world.action.edit_version},
                           content_type="application/json")
    assert response.json()["status"] == "done"
    assert PlanAction.objects.get(pk=world.action.pk).done_on is not None
    plan = client.get(reverse("api:implementation_plan", kwargs={"pk": world.plan.pk})).json()
    assert plan["progress"] == "1"


def test_a_partner_reaches_their_team_but_not_the_countys_plans(
    world: World, personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.partner)
    assert client.get(reverse("implementation:team_detail", args=[world.team.pk])
                      ).status_code == 200
    assert client.get(reverse("implementation:plan_detail", args=[world.plan.pk])
                      ).status_code == 404
    assert Team.objects.visible_to(personas.fresno.partner).count() == 1
    assert not Plan.objects.visible_to(personas.fresno.partner).exists()


def test_the_api_logs_support_for_a_team_in_scope_only(world: World, personas: Personas,
                                                      login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    payload = {"site": "fresno", "kind": "workshop", "occurred_on": "2026-03-01",
               "duration_minutes": 120, "mode": "onsite", "recipient_teams": [world.team.pk],
               "recipient_sites": ["fresno-central"]}
    response = client.post(reverse("api:implementation_support_log"), payload,
                           content_type="application/json")
    assert response.status_code == 201
    logged = SupportActivity.objects.get(pk=response.json()["id"])
    assert list(logged.recipient_teams.all()) == [world.team]
    refused = client.post(reverse("api:implementation_support_log"),
                          payload | {"recipient_sites": ["humboldt"]},
                          content_type="application/json")
    assert refused.json()["detail"] == "recipient_sites: a site is not in your scope"
