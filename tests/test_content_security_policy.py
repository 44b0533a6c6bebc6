"""Every page carries a strict Content-Security-Policy and holds nothing that policy would block.

The pages are the accessibility walk's (``tests/browser/pages.py``, every ``pages_<area>.py``),
opened by every role that may open them, so a new page is covered here as soon as it is there.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from practicehub.accounts.models import User
from practicehub.outcomes.data import store, synthetic
from practicehub.practice_model.services import load_shipped_models
from practicehub.site.navigation import may_open
from practicehub.testing.personas import Personas
from tests.browser.pages import PAGES

ROLES = ["state_admin", "fresno_regional", "fresno_lead", "fresno_coach", "fresno_worker",
         "fresno_analyst", "fresno_partner"]


class InlineFinder(HTMLParser):
    """Inline script, inline style and event-handler attributes: what a strict CSP blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        line = self.getpos()[0]
        if tag == "script" and "src" not in names:
            self.found.append(f"line {line}: an inline <script>")
        if tag == "style":
            self.found.append(f"line {line}: a <style> block")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"line {line}: style={value!r} on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"line {line}: an event handler {name} on <{tag}>")
            if name in {"href", "src", "action"} and (value or "").lower().startswith(
                    "javascript:"):
                self.found.append(f"line {line}: a javascript: URL on <{tag}>")


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_sees_every_kind_of_inline_code() -> None:
    html = ('<p style="color:red">x</p><script>alert(1)</script><style>p{}</style>'
            '<script src="/static/a.js"></script><button onclick="go()">b</button>')
    assert len(inline_code(html)) == 4


@pytest.fixture
def outcome_data(tmp_path: Path, settings: Any) -> None:
    """A small outcome import, so the outcome pages draw their charts."""
    synthetic.generate(tmp_path / "source", 2000, seed=11)
    store.import_directory(tmp_path / "source", tmp_path / store.DATABASE_NAME)
    settings.OUTCOMES_DIR = tmp_path


def _policy(response: Any) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    return {part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
            for part in header.split(";") if part.strip()}


def _assert_strict(response: Any, url: str) -> None:
    policy = _policy(response)
    assert policy.get("default-src") == "'self'", f"{url}: {policy}"
    for directive in ("script-src", "style-src"):
        assert "unsafe-inline" not in policy.get(directive, ""), url
    assert policy.get("frame-ancestors") == "'none'", url
    assert policy.get("object-src") == "'none'", url


@pytest.mark.django_db
def test_the_sign_in_page_carries_the_policy_and_no_inline_code(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    _assert_strict(response, "sign-in")
    assert inline_code(response.content.decode()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_can_open_carries_the_policy_and_no_inline_code(
    username: str, personas: Personas, outcome_data: None, client: Client,
) -> None:
    load_shipped_models()
    user = User.objects.get(username=username)
    client.force_login(user)
    failures: dict[str, list[str]] = {}
    opened = 0
    for name, arguments in PAGES.items():
        if not may_open(user, name):
            continue
        url = reverse(name, kwargs=arguments(user))
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(response, url)
        if "html" in response.headers.get("Content-Type", ""):
            found = inline_code(response.content.decode())
            if found:
                failures[url] = found
            opened += 1
    assert opened > 5
    assert failures == {}


@pytest.mark.django_db
def test_htmx_is_told_not_to_inject_its_indicator_style(client: Client) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<meta name="htmx-config"' in html
    assert '"includeIndicatorStyles":false' in html.replace(" ", "")
    css = (Path(__file__).parent.parent / "src/practicehub/core/static/core/practicehub.css")
    assert ".htmx-request .htmx-indicator" in css.read_text()
