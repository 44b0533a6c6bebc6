"""The role walk: every URL and API route of the permission map, every method it accepts, every
persona — computed from the map, the views and the personas, so a new route is walked without
anyone listing it.

- A persona without the rule's capability (or, for a change, its ``writes`` capability) gets 403.
- A persona with the capability but in the other county gets 404 on a Fresno record.
- A list page shown to the other county names none of Fresno's people.
- No refused POST, PUT, PATCH or DELETE changes the row count of any table.

``python -m pytest tests/test_role_walk.py -s`` prints the figures (route × method × persona
combinations walked, leaks, writes let through).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practicehub.accounts.permissions import url_permissions
from practicehub.accounts.roles import Capability, Rule
from practicehub.testing.personas import Personas
from tests.roleworld import TARGETS, Persona, RoleWorld, build_role_world, every_persona, row_counts
from tests.urlwalk import NamedUrl, named_urls

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Expectation:
    url: NamedUrl
    method: str
    persona: Persona
    status: int  # 403 or 404 refused; 200 for a list page read by the other county


def needed(rule: Rule, method: str) -> set[Capability]:
    wanted = {rule.capability} if rule.capability else set()
    if rule.writes is not None and method not in SAFE:
        wanted.add(rule.writes)
    return wanted


def expectations(personas: list[Persona]) -> list[Expectation]:
    found = []
    rules = url_permissions()
    for url in named_urls():
        rule = rules[url.name]
        if rule.public:
            continue
        target = TARGETS.get(url.name)
        for method in url.methods:
            for persona in personas:
                if needed(rule, method) - persona.capabilities:
                    found.append(Expectation(url, method, persona, 403))
                elif persona.county == "humboldt" and target is not None and target.scoped:
                    found.append(Expectation(url, method, persona, 404))
                elif persona.county == "humboldt" and not url.arguments and method == "GET":
                    found.append(Expectation(url, method, persona, 200))
    return found


def _request(client: Client, url: NamedUrl, method: str, world: RoleWorld) -> Any:
    target = TARGETS.get(url.name)
    path = reverse(url.name, kwargs=target.kwargs(world) if target else {})
    body = target.body if target else {}
    if url.name.startswith("api:") and method not in SAFE:
        return client.generic(method, path, json.dumps(body), content_type="application/json")
    return client.generic(method, path)


def fresno_names(personas: Personas) -> list[str]:
    people = [getattr(personas.fresno, role) for role in
              ("regional_support", "lead", "coach", "practitioner", "evaluator", "partner")]
    return [name for person in people for name in (person.username, person.get_full_name())]


@pytest.fixture(autouse=True)
def _quiet_refusals() -> Any:
    """Thousands of expected 403s and 404s would each log a warning; server errors still log."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def world(personas: Personas) -> RoleWorld:
    return build_role_world(personas)


def test_every_url_with_arguments_has_a_record_to_open() -> None:
    missing = [url.name for url in named_urls() if url.arguments and url.name not in TARGETS]
    assert missing == []


def test_every_persona_is_refused_what_its_roles_or_county_do_not_allow(
    world: RoleWorld, personas: Personas,
) -> None:
    people = every_persona(personas)
    clients = {}
    for persona in people:
        clients[persona.label] = Client()
        clients[persona.label].force_login(persona.user)
    names = fresno_names(personas)
    walked, leaks, writes_through, wrong = Counter[str](), [], [], []
    for case in expectations(people):
        before = row_counts() if case.method not in SAFE else {}
        response = _request(clients[case.persona.label], case.url, case.method, world)
        walked[case.method] += 1
        where = f"{case.method} {case.url.name} as {case.persona.label}"
        if case.status == 200:
            shown = [name for name in names if name in response.content.decode(errors="replace")]
            if shown:
                leaks.append(f"{where}: shows {shown}")
            continue
        if response.status_code != case.status:
            (leaks if response.status_code < 300 else wrong).append(
                f"{where}: {response.status_code}, expected {case.status}")
        if case.method not in SAFE:
            after = row_counts()
            changed = {t: (before[t], n) for t, n in after.items() if before.get(t) != n}
            if changed:
                writes_through.append(f"{where}: {changed}")
    routes = len({url.name for url in named_urls() if not url_permissions()[url.name].public})
    print(f"\nrole walk: {routes} routes, {sum(walked.values())} route × method × persona "
          f"combinations ({dict(walked)}), leaks {len(leaks)}, writes let through "
          f"{len(writes_through)}, other wrong answers {len(wrong)}")
    assert leaks == []
    assert writes_through == []
    assert wrong == []


def test_a_practitioner_recording_an_observation_through_the_api_gets_403(
    world: RoleWorld, personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.practitioner)
    before = row_counts()
    response = client.post(
        "/api/v1/fidelity/observations", json.dumps({
            "tool_id": world.tool.pk, "worker": personas.fresno.practitioner.username,
            "observed_on": "2026-03-05", "setting": "home_visit"}),
        content_type="application/json")
    assert (response.status_code, response.json()) == (
        403, {"detail": "Your roles do not allow this change."})
    assert row_counts() == before


def test_a_coach_sending_an_invalid_observation_gets_422_with_the_reason(
    world: RoleWorld, personas: Personas, login_as: Any,
) -> None:
    response = login_as(personas.fresno.coach).post(
        "/api/v1/fidelity/observations", json.dumps({
            "tool_id": world.tool.pk, "worker": personas.fresno.practitioner.username,
            "observed_on": "2026-03-05", "setting": "under the sea"}),
        content_type="application/json")
    assert response.status_code == 422
    assert "setting" in response.json()["detail"].lower()
