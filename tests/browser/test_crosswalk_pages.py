"""axe on the crosswalk views: behavior and version pages with counterparts, and a worker's
page and coaching plan page in CPM terms (GET ``?terms=cpm``, no URL of their own)."""

from __future__ import annotations

import json

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from practicehub.accounts.models import User
from practicehub.testing.personas import Personas
from tests.browser.conftest import serious_violations, sign_in
from tests.browser.pages import PAGES


def test_counterparts_and_cpm_terms_pass_axe(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    coach = User.objects.get(username="fresno_coach")
    sign_in(page, live_server.url, "fresno_coach")
    urls = [
        reverse("practice_model:behavior", args=["cfpm", "2026.1", "EE-3"]),
        reverse("practice_model:behavior", args=["cpm", "2026.1", "P-2"]),
        reverse("practice_model:version", args=["cpm", "2026.1"]),
        reverse("fidelity:worker", kwargs=PAGES["fidelity:worker"](coach)) + "?terms=cpm",
        reverse("fidelity:plan", kwargs=PAGES["fidelity:plan"](coach)) + "?terms=cpm",
    ]
    failures = {}
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None
        assert response.status == 200, url
        found = serious_violations(axe, page)
        if found:
            failures[url] = found
    assert not failures, json.dumps(failures, indent=1)
    page.goto(live_server.url + reverse("fidelity:worker", kwargs=PAGES["fidelity:worker"](coach)))
    page.get_by_role("link", name="Show in CPM terms").click()
    expect(page.get_by_role("heading", name="Ratings in CPM terms")).to_be_visible()
