"""CSRF, checked as a browser would meet it (``enforce_csrf_checks=True``), for every form POST
and every session-authenticated API write; computed from the URL walk, so a new form is covered.

- A form POST without the token is refused (403, the CSRF page) and changes nothing; with the
  token it reaches the page.
- An API write on a session without ``X-CSRFToken`` is refused with 403 and changes nothing;
  with the token, or with an API token instead of a session, it is not refused for CSRF.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practicehub.accounts.services.tokens import issue_token
from practicehub.testing.personas import Personas
from tests.roleworld import TARGETS, RoleWorld, build_role_world, row_counts
from tests.urlwalk import NamedUrl, named_urls

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _writes(api: bool) -> list[tuple[NamedUrl, str]]:
    found = [(url, method) for url in named_urls() for method in url.methods
             if method in UNSAFE and url.name.startswith("api:") == api
             and (not url.arguments or url.name in TARGETS)]
    # Signing out last keeps the session for the others.
    return sorted(found, key=lambda pair: pair[0].name == "accounts:logout")


def _path(url: NamedUrl, world: RoleWorld) -> str:
    target = TARGETS.get(url.name)
    return reverse(url.name, kwargs=target.kwargs(world) if target else {})


def _body(url: NamedUrl) -> str:
    target = TARGETS.get(url.name)
    return json.dumps(target.body if target else {})


def _is_csrf_refusal(response: Any) -> bool:
    return response.status_code == 403 and b"CSRF verification failed" in response.content


@pytest.fixture
def world(personas: Personas) -> RoleWorld:
    return build_role_world(personas)


@pytest.fixture
def browser(personas: Personas) -> Client:
    """The state administrator's browser: every capability, so only CSRF can refuse."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.state_admin)
    client.get(reverse("core:home"))  # sets the CSRF cookie, as the first page view does
    return client


def test_every_form_post_without_the_token_is_refused_and_changes_nothing(
    world: RoleWorld, browser: Client,
) -> None:
    forms = _writes(api=False)
    assert len(forms) >= 30
    accepted = []
    for url, method in forms:
        before = row_counts()
        response = browser.generic(method, _path(url, world), "",
                                   content_type="application/x-www-form-urlencoded")
        if not _is_csrf_refusal(response) or row_counts() != before:
            accepted.append(f"{method} {url.name}: {response.status_code}")
    assert accepted == []


def test_every_form_post_with_the_token_reaches_the_page(world: RoleWorld,
                                                        browser: Client) -> None:
    token = browser.cookies["csrftoken"].value
    refused = []
    for url, method in _writes(api=False):
        # Django reads form fields only from a POST body; other methods send the header.
        response = browser.generic(method, _path(url, world), f"csrfmiddlewaretoken={token}",
                                   content_type="application/x-www-form-urlencoded",
                                   headers={"X-CSRFToken": token})
        if _is_csrf_refusal(response):
            refused.append(f"{method} {url.name}")
    assert refused == []


def test_a_session_api_write_without_the_token_is_refused_with_403_and_changes_nothing(
    world: RoleWorld, browser: Client,
) -> None:
    writes = _writes(api=True)
    assert len(writes) >= 7
    accepted = []
    for url, method in writes:
        before = row_counts()
        response = browser.generic(method, _path(url, world), _body(url),
                                   content_type="application/json")
        if response.status_code != 403 or row_counts() != before:
            accepted.append(f"{method} {url.name}: {response.status_code}")
    assert accepted == []


def test_a_session_api_write_with_the_token_or_an_api_token_is_not_refused(
    world: RoleWorld, browser: Client, personas: Personas,
) -> None:
    session_token = browser.cookies["csrftoken"].value
    _, api_token = issue_token(personas.state_admin, "csrf walk")
    scripted = Client(enforce_csrf_checks=True)
    refused = []
    for url, method in _writes(api=True):
        for client, headers in ((browser, {"X-CSRFToken": session_token}),
                                (scripted, {"Authorization": f"Bearer {api_token}"})):
            response = client.generic(method, _path(url, world), _body(url),
                                      content_type="application/json", headers=headers)
            if response.status_code in (401, 403):
                refused.append(f"{method} {url.name} with {sorted(headers)}: "
                               f"{response.status_code} {response.content[:80]!r}")
    assert refused == []
