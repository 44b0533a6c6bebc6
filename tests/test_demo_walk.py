"""Every demo user, signed in on the built demo, finds their own recent work on every main page.

Generic over ``DEMO_LOGINS``: for each demo user the walk opens home, the pages its task cards
and the main navigation point to, and the list pages those link to within the same area (the
tabs of each area), and fails on any empty state ("No plans yet.", "None to show.", …).
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from practicehub.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from practicehub.accounts.models import User
from practicehub.assessments.models import Administration
from practicehub.implementation.models import Meeting, PlanAction, StageRecord
from practicehub.site.navigation import nav_for
from practicehub.site.services.demo import build_demo
from practicehub.site.services.home import tasks_for

# What the templates say when a list or a figure has nothing in it.
EMPTY_STATE = re.compile(
    r"\b(?:No|None|Nothing)\b[^<.]{0,60}?\b(?:yet|to show|recorded|in your scope|you can see)\b"
    r"|No observations\.|No outcome data")
LIST_PAGE = re.compile(r'href="(/[a-z_/-]*)"')
NOT_WALKED = ("/accounts/logout", "/static/", "/export", "/new/", "/create/", "/import")


def _main(html: str) -> str:
    return html.split("<main", 1)[-1].split("</main>", 1)[0]


def _pages_of(client: Client, user: User) -> dict[str, str]:
    """Home, the task cards' and navigation's pages, and the list pages they link to in the
    same area: URL → the page's main content."""
    first = ["/", *(task.href() for task in tasks_for(user)),
             *(item.href() for item in nav_for(user))]
    pages: dict[str, str] = {}
    for url in dict.fromkeys(first):
        pages[url] = _main(client.get(url).content.decode())
    for url, main in list(pages.items()):
        area = url.strip("/").split("/")[0]
        for href in LIST_PAGE.findall(main):
            if area and href.strip("/").split("/")[0] == area and href not in pages \
                    and not any(part in href for part in NOT_WALKED):
                response = client.get(href)
                if response.status_code == 200 and "html" in response["Content-Type"]:
                    pages[href] = _main(response.content.decode())
    return pages


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Path) -> None:
    settings.OUTCOMES_DIR = tmp_path
    build_demo(progress=lambda message: None)


def test_every_demo_user_finds_recent_work_of_their_own_on_every_main_page(
    demo: None,
) -> None:
    empty: dict[str, list[str]] = {}
    walked = 0
    for login in DEMO_LOGINS:
        client = Client()
        assert client.login(username=login.username, password=DEMO_PASSWORD)
        user = User.objects.get(username=login.username)
        for url, main in _pages_of(client, user).items():
            walked += 1
            found = EMPTY_STATE.findall(main)
            if found:
                empty.setdefault(login.username, []).append(f"{url}: {found[0]}")
    assert walked > len(DEMO_LOGINS) * 5
    assert empty == {}
    _assert_dated_around_today()


def _assert_dated_around_today() -> None:
    """Stages, assessments, meetings and plan actions fit the two years of fidelity data."""
    today = timezone.localdate()
    fresno = StageRecord.objects.filter(node__code="fresno").order_by("-entered_on")[0]
    assert abs((today - fresno.entered_on).days - 730) < 62, fresno
    latest = Administration.objects.filter(node__code="fresno").order_by("-administered_on")[0]
    assert (today - latest.administered_on).days < 120
    meetings = Meeting.objects.filter(team__node__path__contains="/fresno/")
    assert meetings.filter(held_on__gt=today).exists()
    assert meetings.filter(held_on__lte=today, held_on__gt=today - timedelta(days=45)).exists()
    actions = PlanAction.objects.filter(objective__plan__node__code="fresno")
    assert actions.filter(status="done").exists()
    assert actions.filter(target_on__lt=today).exclude(status="done").exists()


def test_the_load_test_walks_only_what_each_demo_person_may_open(demo: None) -> None:
    """``practicehub bench web`` counts any answer but 200 as an error: every page and API route
    it sends each demo person must answer that person with 200."""
    from practicehub.site.bench import discover_here

    refused: list[str] = []
    walks = discover_here()
    assert {walk["username"] for walk in walks} == {login.username for login in DEMO_LOGINS}
    for walk in walks:
        client = Client()
        assert client.login(username=walk["username"], password=DEMO_PASSWORD)
        for route in [*walk["pages"], *walk["api"]]:
            status = client.get(route).status_code
            if status != 200:
                refused.append(f"{walk['username']} {route}: {status}")
    assert refused == []
    partner = next(walk for walk in walks if walk["username"] == "fresno.partner")
    assert any(route.startswith("/api/v1/fidelity/scores?") for route in partner["api"])
