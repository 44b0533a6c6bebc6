"""Each role's main work, end to end in a real browser, with axe on the pages it passes through.

Still to write: the coach's (observe, submit, start a coaching plan, record a session, close
it), the county lead's (plan, objective, action, status) and regional support's (log a visit).
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from practicehub.testing.personas import Personas
from tests.browser.conftest import serious_violations, sign_in


def test_an_analyst_picks_a_period_and_a_grouping_and_reads_the_figures(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    sign_in(page, live_server.url, "fresno_analyst")
    page.goto(live_server.url + reverse("outcomes:dashboard"))
    page.get_by_label("Period", exact=True).select_option("23A23B")
    page.get_by_label("Break down by").select_option("race_ethnicity")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**by=race_ethnicity*")
    assert "23A23B (2022-10-01 to 2023-09-30)" in page.locator(".usa-intro").inner_text()
    table = page.get_by_role("table", name="by race and ethnicity")
    assert table.get_by_role("rowheader", name="Black or African American").is_visible()
    page.get_by_role("link", name="Trends").click()
    assert page.url.endswith("#trends")
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From").fill("2024-01-01")
    page.get_by_label("To", exact=True).fill("2024-06-30")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**start=2024-01-01*")
    assert "2024-01-01 to 2024-06-30" in page.locator(".usa-intro").inner_text()
    assert serious_violations(axe, page) == []


def test_a_partner_sees_aggregate_fidelity_but_no_workers_records(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    worker = transactional_personas.fresno.practitioner
    sign_in(page, live_server.url, "fresno_partner")
    page.goto(live_server.url + reverse("fidelity:dashboard"))
    assert serious_violations(axe, page) == []
    assert worker.get_full_name() not in page.content()
    outcomes = page.goto(live_server.url + reverse("outcomes:dashboard"))
    assert outcomes is not None
    assert outcomes.status == 200
    assert "aggregate figures, not records of individual children" in page.content()
    refused = page.goto(live_server.url + reverse("fidelity:worker", args=[worker.pk]))
    assert refused is not None
    assert refused.status in {403, 404}
    page.goto(live_server.url + reverse("accounts:people"))
    assert worker.get_full_name() not in page.content()
