"""Every read of person-level data is audited, and no route shows people unmarked.

Routes marked ``person_level`` in the permission map must record exactly one ``view`` (or
``export`` for a download) per successful read. Every other GET page and API route is rendered
with the role walk's Fresno world present, as a persona who may open it; a response that names
another persona (user name or full name) while no event was recorded fails, unless the route is
listed in ``NAMES_WITHOUT_PERSON_LEVEL_DATA`` with the reason (docs/access.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from practicehub.accounts.models import User
from practicehub.accounts.permissions import url_permissions
from practicehub.accounts.roles import Rule
from practicehub.audit.models import AuditEvent
from practicehub.testing.personas import Personas
from tests.roleworld import TARGETS, Persona, RoleWorld, build_role_world, every_persona
from tests.urlwalk import NamedUrl, named_urls

# Pages that name people only as members, owners, providers or facilitators of a site's work,
# or as choices in a form: who does the work, not data about them (docs/access.md).
NAMES_WITHOUT_PERSON_LEVEL_DATA: dict[str, str] = {
    "implementation:team_detail": "team membership and action-item owners",
    "implementation:meeting_detail": "attendees and action-item owners",
    "implementation:review_detail": "item and step owners, as on the meeting page",
    "implementation:team_edit": "the charter form shows the team's members",
    "implementation:meeting_create": "the attendee choices are the team's members",
    "implementation:support_list": "the staff who provided support",
    "implementation:support_create": "the choice of staff who provided support",
    "implementation:export": "team membership, owners and support providers as above",
    "api:implementation_team": "team membership",
    "api:implementation_support": "the staff who provided support",
    "api:implementation_dosage": "support hours by the staff who provided them",
    "fidelity:observation_start": "the choice of whom to observe (people in your scope)",
    "fidelity:plan_new": "the choice of whom to coach (people in your scope)",
    "assessments:administration_create": "the choice of facilitator",
    "api:accounts_me": "your own roles",
}

# Query strings a route needs to show its person-level breakdown.
QUERIES: dict[str, Callable[[RoleWorld], dict[str, str]]] = {
    "fidelity:dashboard": lambda w: {"tool": str(w.tool.pk), "node": "fresno",
                                     "level": "worker"},
    "api:fidelity_scores": lambda w: {"tool_id": str(w.tool.pk), "node": "fresno",
                                      "by": "worker"},
    "assessments:export": lambda w: {"format": "csv"},
    "core:search": lambda w: {"q": w.personas.fresno.practitioner.last_name},
}


def _readers(rule: Rule, personas: Personas) -> list[User]:
    """Who may render a route, most likely to reach the Fresno record first: the county lead,
    the coach who observed (only an observer edits a draft), then the state."""
    found = []
    for user in (personas.fresno.lead, personas.fresno.coach, personas.state_admin):
        person = Persona(user.username, user, "fresno")
        if rule.capability is None or rule.capability in person.capabilities:
            found.append(user)
    return found


def _path(url: NamedUrl, world: RoleWorld) -> str:
    target = TARGETS.get(url.name)
    path = reverse(url.name, kwargs=target.kwargs(world) if target else {})
    query = QUERIES.get(url.name)
    if query is None:
        return path
    return path + "?" + "&".join(f"{k}={v}" for k, v in query(world).items())


def _subject(url: NamedUrl, rule: Rule, world: RoleWorld) -> object:
    """The person the URL's record is about, when the map names one."""
    marking, target = rule.person_level, TARGETS.get(url.name)
    if marking is None or not marking.record or not marking.subject or target is None:
        return None
    record = apps.get_model(marking.record)._default_manager.get(pk=target.kwargs(world)["pk"])
    return getattr(record, marking.subject)


def _read(url: NamedUrl, rule: Rule, personas: Personas, world: RoleWorld
          ) -> tuple[User, Any, list[AuditEvent]]:
    """The first successful read of ``url`` by someone who may open it, and its events."""
    subject = _subject(url, rule, world)
    for reader in _readers(rule, personas):
        if reader.pk == subject:
            continue  # reading your own record is not recorded
        client = Client()
        client.force_login(reader)
        newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.get(_path(url, world))
        if response.status_code == 200:
            break
    events = list(AuditEvent.objects.filter(id__gt=newest, action__in=["view", "export"]))
    return reader, response, events


def _gets() -> list[NamedUrl]:
    rules = url_permissions()
    # A URL with arguments but no record to open fails the role walk's own check.
    return [url for url in named_urls() if "GET" in url.methods and not rules[url.name].public
            and (not url.arguments or url.name in TARGETS)]


@pytest.fixture
def world(personas: Personas) -> RoleWorld:
    return build_role_world(personas)


def test_each_person_level_route_records_one_read_naming_the_reader(
    world: RoleWorld, personas: Personas,
) -> None:
    rules = url_permissions()
    marked = [url for url in _gets() if rules[url.name].person_level is not None]
    unaudited = []
    for url in marked:
        reader, response, events = _read(url, rules[url.name], personas, world)
        assert response.status_code == 200, f"{url.name}: {response.status_code}"
        if [(e.actor_id, e.action) for e in events] not in (
                [(reader.pk, "view")], [(reader.pk, "export")]):
            unaudited.append(f"{url.name}: {[(e.actor_label, e.action) for e in events]}")
    print(f"\nperson-level routes audited: {len(marked) - len(unaudited)} of {len(marked)}")
    assert len(marked) >= 15
    assert unaudited == []


def test_no_route_shows_another_persons_name_without_recording_the_read(
    world: RoleWorld, personas: Personas,
) -> None:
    rules = url_permissions()
    people = [p.user for p in every_persona(personas)]
    unmarked = []
    for url in _gets():
        if url.name in NAMES_WITHOUT_PERSON_LEVEL_DATA:
            continue
        reader, response, events = _read(url, rules[url.name], personas, world)
        text = response.content.decode(errors="replace")
        named = sorted({p.username for p in people if p.pk != reader.pk
                        and (p.username in text or p.get_full_name() in text)})
        if named and not events:
            unmarked.append(f"{url.name} as {reader.username} names {named}")
    assert unmarked == []


def test_reading_your_own_observation_is_not_recorded_but_your_coachs_reading_is(
    world: RoleWorld, personas: Personas, login_as: Any,
) -> None:
    url = reverse("fidelity:observation", args=[world.submitted.pk])
    login_as(personas.fresno.practitioner).get(url)
    assert not AuditEvent.objects.filter(action="view").exists()
    login_as(personas.fresno.lead).get(url)
    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.object_type, event.object_id) == (
        personas.fresno.lead, "fidelity.observation", str(world.submitted.pk))


def test_the_api_observation_list_and_detail_are_recorded(
    world: RoleWorld, personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    listed = client.get("/api/v1/fidelity/observations").json()
    assert {item["worker"] for item in listed} == {"fresno_worker"}
    client.get(f"/api/v1/fidelity/observations/{world.submitted.pk}")
    events = AuditEvent.objects.filter(action="view").order_by("id")
    assert [(e.object_type, e.object_id) for e in events] == [
        ("api:fidelity_observations", ""), ("fidelity.observation", str(world.submitted.pk))]


def test_a_refused_read_records_nothing(world: RoleWorld, personas: Personas,
                                        login_as: Any) -> None:
    client = login_as(personas.humboldt.coach)
    assert client.get(reverse("fidelity:observation", args=[world.submitted.pk])
                      ).status_code == 404
    assert login_as(personas.fresno.partner).get(reverse("fidelity:plans")).status_code == 403
    assert not AuditEvent.objects.filter(action="view").exists()
