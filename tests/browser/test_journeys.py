"""Each role's main work, end to end in a real browser, with axe on the pages it passes through.

The coach observes, submits, starts a coaching plan from a dashboard priority, records a session,
marks a goal met and closes the plan; the county lead starts a plan and adds an objective and an
action step and moves it on; regional support logs a visit; the analyst picks a period and a
grouping; the partner sees only aggregates. Each step checks what the user sees (the message, the
new row, the status) with Playwright's waiting expectations.
"""

from __future__ import annotations

import datetime
import re

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from practicehub.fidelity.models import ObservationTool, Setting
from practicehub.fidelity.services.observations import ToolSpec, create_tool
from practicehub.practice_model.services import find_version
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
    expect(table.get_by_role("rowheader", name="Black or African American")).to_be_visible()
    page.get_by_role("link", name="Trends").click()
    assert page.url.endswith("#trends")
    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("From", exact=True).fill("2024-01-01")
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


def field(page: Page, label: str) -> Locator:
    """The field labelled exactly ``label`` (a required field's label ends in its "*")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def said(page: Page, text: str) -> None:
    """The page's message area says ``text`` (Playwright waits for it)."""
    expect(page.locator(".usa-alert__text").filter(has_text=text)).to_be_visible()


def a_tool() -> ObservationTool:
    """The observation tool a county would have configured: five CFPM practice behaviors."""
    version = find_version("cfpm")
    behaviors = list(version.behavior_set.filter(behavior_set="practice").order_by("order")[:5])
    return create_tool(ToolSpec(name="CFPM practice behaviors", version=version,
                                scale="profile", behaviors=behaviors,
                                settings=[Setting.CFT_MEETING, Setting.HOME_VISIT]))


def test_a_coach_observes_submits_starts_a_plan_records_a_session_and_closes_it(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    tool = a_tool()
    behaviors = list(tool.behaviors.order_by("order"))
    weakest = behaviors[0]
    worker = str(transactional_personas.fresno.practitioner)
    today = timezone.localdate().isoformat()
    sign_in(page, live_server.url, "fresno_coach")

    page.goto(live_server.url + reverse("fidelity:observations"))
    page.get_by_role("link", name="Record an observation").click()
    expect(page.get_by_role("heading", name="Record an observation")).to_be_visible()
    assert serious_violations(axe, page) == []
    observed_on = page.get_by_label("Date observed")
    expect(observed_on).to_have_attribute("type", "date")
    expect(observed_on).to_have_value(today)
    page.get_by_label("Tool").select_option(label=tool.name)
    page.get_by_label("Worker observed").select_option(label=worker)
    page.get_by_label("Setting").select_option(label="Home visit")
    page.get_by_role("button", name="Start rating").click()

    expect(page.get_by_role("heading", name=f"Rate {worker} on {today}")).to_be_visible()
    for behavior in behaviors:
        point = "Developmental" if behavior == weakest else "Expected"
        page.get_by_label(f"{behavior.code} {behavior.text}").select_option(label=point)
    page.get_by_label("Notes").fill("Strong engagement; safety planning still developing.")
    page.get_by_role("button", name="Save draft").click()
    said(page, "Draft saved.")
    expect(page.get_by_label(f"{weakest.code} {weakest.text}")).to_have_value("2")
    assert serious_violations(axe, page) == []
    page.get_by_role("button", name="Submit and lock").click()
    expect(page.get_by_role("heading", name=f"Submit the rating of {worker} on {today}?")
           ).to_be_visible()
    kept = page.get_by_role("table", name="The ratings as they will be kept")
    expect(kept.get_by_role("row", name=weakest.code)).to_contain_text("2 Developmental")
    assert serious_violations(axe, page) == []
    page.get_by_role("button", name="Yes, submit and lock").click()
    said(page, "Observation submitted and locked.")
    expect(page.get_by_role("link", name="Continue rating")).to_have_count(0)
    expect(page.get_by_role("row", name=weakest.code)).to_contain_text("2 Developmental")

    page.goto(live_server.url + reverse("fidelity:dashboard"))
    priorities = page.get_by_role("table", name="lowest-scoring behavior")
    expect(priorities.get_by_role("rowheader").first).to_contain_text(weakest.code)
    assert serious_violations(axe, page) == []
    priorities.get_by_role("link", name=f"Start a coaching plan on {weakest.code}").click()
    expect(page.get_by_role("heading", name="Start a coaching plan")).to_be_visible()
    expect(page.get_by_label("Also focus on")).to_have_value(str(weakest.pk))
    page.get_by_label("Person coached").select_option(label=worker)
    page.get_by_role("button", name="Start the plan").click()

    said(page, f"Coaching plan for {worker} started.")
    expect(page.get_by_role("heading", name=f"Coaching plan for {worker}")).to_be_visible()
    focus = page.get_by_role("table", name="Focus behaviors")
    expect(focus.get_by_role("rowheader", name=weakest.code)).to_be_visible()
    assert serious_violations(axe, page) == []

    field(page, "Goal").fill("Writes a safety plan with the family.")
    field(page, "Behavior").select_option(str(weakest.pk))
    page.get_by_role("button", name="Add goal").click()
    said(page, "Goal added.")
    goal = page.get_by_role("listitem").filter(has_text="Writes a safety plan with the family.")
    expect(goal).to_contain_text(f"({weakest.code})")

    expect(page.get_by_label("Date of the session")).to_have_value(today)
    page.get_by_label("What the session covered").fill("Practised safety mapping.")
    page.get_by_label("Follow-ups").fill("Observe the next family meeting.")
    page.get_by_role("button", name="Record session").click()
    said(page, "Coaching session recorded.")
    sessions = page.get_by_role("table", name="Sessions, newest first")
    expect(sessions.get_by_role("row", name=today)).to_contain_text("Practised safety mapping.")

    goal.get_by_role("button", name="Mark met").click()
    said(page, f"Goal marked met on {today}.")
    expect(goal).to_contain_text(f"met {today}")
    assert serious_violations(axe, page) == []

    page.get_by_role("button", name="Close the plan").click()
    said(page, f"Coaching plan closed on {today}.")
    expect(page.get_by_text(f"closed {today}", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Record session")).to_have_count(0)
    expect(page.get_by_role("button", name="Add goal")).to_have_count(0)
    assert serious_violations(axe, page) == []

    page.get_by_role("link", name="Coaching", exact=True).first.click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=worker))
    expect(row).to_contain_text(f"Closed {today}")


def test_a_county_lead_starts_a_plan_adds_an_objective_and_an_action_and_moves_it_on(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    today = timezone.localdate()
    target = (today + datetime.timedelta(days=60)).isoformat()
    step = "Train every supervisor in safety mapping"
    sign_in(page, live_server.url, "fresno_lead")

    page.goto(live_server.url + reverse("implementation:plan_list"))
    page.get_by_role("link", name="Start a plan").click()
    expect(page.get_by_role("heading", name="Start a plan")).to_be_visible()
    assert serious_violations(axe, page) == []
    field(page, "Site").select_option(label="Fresno County")
    page.get_by_label("Title").fill("Fresno strategic plan 2027")
    page.get_by_label("Kind of plan").select_option(label="Strategic implementation plan")
    page.get_by_label("Status").select_option(label="Active")
    page.get_by_label("Start date").fill(today.isoformat())
    page.get_by_label("Reassessment date").fill(
        (today + datetime.timedelta(days=365)).isoformat())
    page.get_by_label("What success looks like").fill("Every unit coached monthly.")
    page.get_by_role("button", name="Save").click()

    said(page, "Created Fresno strategic plan 2027")
    expect(page.get_by_role("heading", name="Fresno strategic plan 2027")).to_be_visible()
    expect(page.get_by_text("No objectives yet.")).to_be_visible()
    assert serious_violations(axe, page) == []

    adding = page.get_by_role("group", name="Add an objective")
    adding.get_by_label("Objective").fill("Coach every unit")
    adding.get_by_role("button", name="Add objective").click()
    said(page, "Objective added.")
    expect(page.get_by_role("heading", name="1. Coach every unit")).to_be_visible()

    action = page.get_by_role("group", name="Add an action step")
    action.get_by_label("Objective").select_option(label="Coach every unit")
    action.get_by_label("Action step").fill(step)
    action.get_by_label("Responsible person or team").fill("Training lead")
    action.get_by_label("Target date").fill(target)
    action.get_by_role("button", name="Add action step").click()
    said(page, "Action step added.")
    steps = page.get_by_role("table", name="Action steps for objective 1")
    row = steps.get_by_role("row").filter(has=page.get_by_role("rowheader", name=step))
    expect(row).to_contain_text("Training lead")
    expect(row).to_contain_text(target)
    status = row.get_by_label("Status of")
    expect(status).to_have_value("not_started")
    assert serious_violations(axe, page) == []

    status.select_option(label="In progress")
    row.get_by_role("button", name="Update").click()
    said(page, f"Status updated: “{step}” is now In progress.")
    expect(page.get_by_role("row").filter(has_text=step).get_by_label("Status of")
           ).to_have_value("in_progress")
    expect(page.get_by_text("50% (done steps count fully")).to_be_visible()
    assert serious_violations(axe, page) == []

    page.get_by_role("link", name="Plans", exact=True).first.click()
    listed = page.get_by_role("row").filter(has=page.get_by_role("link",
                                                                 name="Fresno strategic plan 2027"))
    expect(listed).to_contain_text("50%")


def test_regional_support_logs_a_site_visit_and_finds_it_in_the_log(
    live_server: LiveServer, transactional_personas: Personas, page: Page, axe: Axe,
) -> None:
    today = timezone.localdate().isoformat()
    sign_in(page, live_server.url, "fresno_regional")

    page.goto(live_server.url + reverse("implementation:support_list"))
    expect(page.get_by_text("Nothing logged yet.")).to_be_visible()
    page.get_by_role("link", name="Log a support activity").click()
    expect(page.get_by_role("heading", name="Log a support activity")).to_be_visible()
    assert serious_violations(axe, page) == []
    field(page, "Site").select_option(label="Fresno County")
    page.get_by_label("Kind of support").select_option(label="Site visit")
    field(page, "Date").fill(today)
    page.get_by_label("Duration in minutes").fill("90")
    page.get_by_label("Mode").select_option(label="Onsite")
    page.get_by_label("Summary").fill("Walked the coaching cascade with the Fresno leads.")
    page.get_by_role("button", name="Save").click()

    said(page, "Support activity logged.")
    log = page.get_by_role("table", name="Support activities")
    row = log.get_by_role("row").filter(has=page.get_by_role("rowheader", name=today))
    expect(row).to_contain_text("Site visit")
    expect(row).to_contain_text("Fresno County")
    expect(row).to_contain_text("90")
    expect(log).to_contain_text("1 of 1")
    expect(page.get_by_text("1.5 hours of implementation support")).to_be_visible()
    assert serious_violations(axe, page) == []
