"""Two tabs on one team charter, in a real browser: the later save is refused in an accessible
message that shows both values, and what was typed stays in the form."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from practicehub.implementation.models import Team
from practicehub.implementation.tests.helpers import a_team
from practicehub.testing.personas import Personas
from tests.browser.conftest import serious_violations, sign_in


def test_the_second_tabs_save_is_refused_showing_both_values_and_keeping_the_typing(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    team = a_team(transactional_personas.fresno.lead, transactional_personas.fresno.county)
    sign_in(page, live_server.url, "fresno_lead")
    url = live_server.url + reverse("implementation:team_edit", args=[team.pk])
    other = page.context.new_page()
    page.goto(url)
    other.goto(url)

    page.get_by_label("Purpose").fill("Coordinate the rollout.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{reverse('implementation:team_detail', args=[team.pk])}")

    other.get_by_label("Purpose").fill("Decide the budget.")
    other.get_by_role("button", name="Save").click()
    alert = other.locator("#stale-edit")
    assert "Someone else saved this team while you were editing" in alert.inner_text()
    row = alert.get_by_role("row", name="Purpose")
    assert "Coordinate the rollout." in row.inner_text()
    assert "Decide the budget." in row.inner_text()
    assert other.get_by_label("Purpose").input_value() == "Decide the budget."
    assert Team.objects.get(pk=team.pk).purpose == "Coordinate the rollout."
    assert serious_violations(axe, other) == []

    other.get_by_role("button", name="Save").click()
    other.wait_for_url(f"**{reverse('implementation:team_detail', args=[team.pk])}")
    assert Team.objects.get(pk=team.pk).purpose == "Decide the budget."
