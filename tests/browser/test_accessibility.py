"""axe-core on every page, for every role that can open it: no serious or critical violation."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from practicehub.accounts.models import User
from practicehub.site.navigation import may_open
from practicehub.testing.personas import Personas
from tests.browser.conftest import serious_violations, sign_in
from tests.browser.pages import NOT_PAGES, PAGES
from tests.urlwalk import named_urls

ROLES = ["state_admin", "fresno_regional", "fresno_lead", "fresno_coach", "fresno_worker",
         "fresno_analyst", "fresno_partner"]


def test_every_page_is_in_the_accessibility_walk() -> None:
    names = {url.name for url in named_urls()}
    assert names - set(PAGES) - set(NOT_PAGES) == set()


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_can_open_passes_axe(
    username: str, live_server: LiveServer, transactional_personas: Personas, page: Page,
    axe: Axe,
) -> None:
    user = User.objects.get(username=username)
    sign_in(page, live_server.url, username)
    failures: dict[str, object] = {}
    for name, arguments in PAGES.items():
        if not may_open(user, name):
            continue
        url = live_server.url + reverse(name, kwargs=arguments(user))
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        found = serious_violations(axe, page)
        if found:
            failures[url] = found
    assert not failures, json.dumps(failures, indent=1)


def test_sign_in_page_passes_axe_blank_and_with_errors(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    assert serious_violations(axe, page) == []
    page.get_by_role("button", name="Sign in").click()
    assert serious_violations(axe, page) == []


def test_form_errors_and_error_pages_pass_axe(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    sign_in(page, live_server.url, "state_admin")
    page.goto(live_server.url + reverse("accounts:person_create"))
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_text("nothing was saved")).to_be_visible()
    assert serious_violations(axe, page) == []
    page.goto(live_server.url + "/accounts/org/999999/")
    assert serious_violations(axe, page) == []


def test_the_403_page_passes_axe(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    sign_in(page, live_server.url, "fresno_worker")
    response = page.goto(live_server.url + reverse("audit:events"))
    assert response is not None
    assert response.status == 403
    assert serious_violations(axe, page) == []


def test_the_audit_filter_swaps_results_accessibly(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    sign_in(page, live_server.url, "state_admin")
    page.goto(live_server.url + reverse("audit:events"))
    page.get_by_label("Action").select_option("sign_in")
    page.wait_for_url("**action=sign_in**")
    assert page.locator("#results tbody tr").first.inner_text().find("Signed in") >= 0
    assert serious_violations(axe, page) == []


def test_the_axe_check_does_catch_a_serious_violation(page: Page, axe: Axe) -> None:
    page.set_content('<html lang="en"><head><title>t</title></head>'
                     '<body><main><img src="chart.png"></main></body></html>')
    assert [found["id"] for found in serious_violations(axe, page)] == ["image-alt"]
