"""Lists page, sort and filter one way (core/services/listing.py), and say "N of M" instead of
cutting rows silently (issue 14)."""

from __future__ import annotations

import datetime
import html
import re
from typing import Any

from django.urls import reverse

from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.fidelity.models import Observation, ObservationTool, Setting
from practicehub.fidelity.services.observations import NewObservation, start_observation
from practicehub.fidelity.tests.conftest import tool as tool  # the five-behavior tool fixture
from practicehub.implementation.models import SupportActivity
from practicehub.testing.personas import Personas


def text(response: Any) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def squeeze(value: str) -> str:
    return re.sub(r"\s+", " ", value)


def observations(personas: Personas, tool: ObservationTool, count: int) -> None:
    fresno = personas.fresno
    for day in range(count):
        start_observation(NewObservation(
            tool=tool, worker=fresno.practitioner, observer=fresno.coach,
            observed_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day),
            setting=Setting.HOME_VISIT), fresno.coach)


def test_the_observation_list_pages_instead_of_cutting_rows(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    observations(personas, tool, 55)
    client = login_as(personas.fresno.coach)
    first = squeeze(text(client.get(reverse("fidelity:observations"))))
    assert "1–50 of 55" in first
    assert "2026-02-24" in first  # the newest first
    second = client.get(reverse("fidelity:observations"), {"page": "2"})
    assert "51–55 of 55" in squeeze(text(second))
    assert "2026-01-01" in text(second)


def test_observations_filter_by_date_and_status_and_say_how_many_match(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    observations(personas, tool, 12)
    client = login_as(personas.fresno.coach)
    page = squeeze(text(client.get(reverse("fidelity:observations"), {
        "since": "2026-01-03", "until": "2026-01-05", "status": "draft",
        "worker": personas.fresno.practitioner.pk})))
    assert "1–3 of 3 matching the filters, of 12 in all" in page
    none = squeeze(text(client.get(reverse("fidelity:observations"), {"status": "submitted"})))
    assert "None match these filters." in none


def test_observations_sort_by_a_column_both_ways(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    observations(personas, tool, 3)
    client = login_as(personas.fresno.coach)
    oldest = client.get(reverse("fidelity:observations"), {"sort": "date"}).content.decode()
    assert oldest.index("2026-01-01") < oldest.index("2026-01-03")
    assert 'aria-sort="ascending"' in oldest
    newest = client.get(reverse("fidelity:observations"), {"sort": "-date"}).content.decode()
    assert newest.index("2026-01-03") < newest.index("2026-01-01")


def test_a_date_that_is_not_a_date_refuses_the_list_rather_than_showing_every_row(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    observations(personas, tool, 2)
    response = login_as(personas.fresno.coach).get(reverse("fidelity:observations"),
                                                   {"since": "yesterday"})
    assert response.status_code == 400
    page = squeeze(text(response))
    assert "Observed from: Enter a valid date." in page
    assert "No rows: correct the filters above." in page
    assert Observation.objects.count() == 2
    assert "2026-01-01" not in page


def test_the_export_link_carries_the_lists_filters(
        personas: Personas, tool: ObservationTool, login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    page = client.get(reverse("fidelity:observations"), {"status": "submitted"}).content
    assert b"export.csv?status=submitted" in page


def test_the_support_log_pages_and_filters_by_site_kind_and_date(
        personas: Personas, login_as: Any) -> None:
    fresno = personas.fresno
    SupportActivity.objects.bulk_create([
        SupportActivity(node=fresno.county, kind="site_visit" if n % 2 else "workshop",
                        occurred_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
                        duration_minutes=60, mode="onsite")
        for n in range(120)])
    client = login_as(fresno.lead)
    page = squeeze(text(client.get(reverse("implementation:support_list"))))
    assert "1–50 of 120" in page
    assert "latest 100" not in page
    visits = squeeze(text(client.get(reverse("implementation:support_list"), {
        "kind": "site_visit", "site": fresno.county.pk, "until": "2026-01-10"})))
    assert "1–5 of 5 matching the filters, of 120 in all" in visits


def test_the_audit_log_finds_free_text_and_refuses_a_bad_date(
        personas: Personas, login_as: Any) -> None:
    record_event(Action.EXPORT, object_type="accounts.user", object_id="42",
                 object_label="Quentin Example")
    record_event(Action.VIEW, object_type="fidelity.observation", object_id="7")
    client = login_as(personas.state_admin)
    found = squeeze(text(client.get(reverse("audit:events"), {"text": "quentin"})))
    assert "Quentin Example" in found
    assert "fidelity.observation" not in found.split("Audit events:")[1]
    refused = client.get(reverse("audit:events"), {"since": "2026-13-45"})
    assert refused.status_code == 400
    page = squeeze(text(refused))
    assert "From: Enter a valid date." in page
    assert "Quentin Example" not in page


def test_the_people_list_pages(personas: Personas, login_as: Any) -> None:
    page = squeeze(text(login_as(personas.state_admin).get(reverse("accounts:people"))))
    assert re.search(r"People you can see: 1–\d+ of \d+", page)
