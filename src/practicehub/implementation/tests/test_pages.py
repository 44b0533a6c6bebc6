from __future__ import annotations

import datetime
import io
from typing import Any

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from practicehub.audit.models import AuditEvent
from practicehub.implementation.models import Meeting, Plan, SupportActivity, Team
from practicehub.implementation.services import teams
from practicehub.implementation.tests.world import build_world
from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import Personas


def test_a_lead_adds_a_team_with_its_charter(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    response = client.post(reverse("implementation:team_create"), {
        "node": personas.fresno.county.pk, "name": "Executive leadership team", "kind": "elt",
        "cadence": "monthly", "purpose": "Lead the practice model work."})
    team = Team.objects.get(name="Executive leadership team")
    assert response.status_code == 302
    assert team.purpose == "Lead the practice model work."


def test_a_plan_with_its_dates_backwards_is_refused_on_the_field(personas: Personas,
                                                                 login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    response = client.post(reverse("implementation:plan_create"), {
        "node": personas.fresno.county.pk, "title": "SIP", "kind": "strategic",
        "status": "draft", "start_on": "2026-05-01", "reassess_on": "2026-01-01"})
    assert response.status_code == 400
    assert "must be after the start date" in response.text
    assert not Plan.objects.exists()


def test_a_lead_cannot_pick_another_county_as_the_site(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    response = client.post(reverse("implementation:team_create"), {
        "node": personas.humboldt.county.pk, "name": "IT", "kind": "it", "cadence": "monthly"})
    assert response.status_code == 400
    assert not Team.objects.exists()


def test_logging_support_from_the_form_shows_in_the_dosage_chart(personas: Personas,
                                                                 login_as: Any) -> None:
    load_shipped_models()  # the implementation-support profile names the competencies
    client = login_as(personas.fresno.regional_support)
    response = client.post(reverse("implementation:support_create"), {
        "node": personas.fresno.county.pk, "kind": "site_visit", "occurred_on": "2026-02-10",
        "duration_minutes": "360", "mode": "onsite", "drivers": ["coaching"],
        "competencies": ["facilitation"]})
    assert response.status_code == 302
    assert SupportActivity.objects.get().drivers == ["coaching"]
    page = client.get(reverse("implementation:support_list"))
    assert "Ongoing improvement: Facilitates" in page.text
    assert "<svg" in page.text
    assert "Support hours by site" in page.text
    assert "6.0" in page.text


def test_exports_come_as_csv_and_excel_and_are_audited(personas: Personas,
                                                       login_as: Any) -> None:
    build_world(personas)
    client = login_as(personas.fresno.lead)
    csv = client.get(reverse("implementation:export", args=["plans"]) + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Strategic implementation plan" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("implementation:export", args=["support"]) + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    assert sheet["C2"].value == "Strategic call"
    assert AuditEvent.objects.filter(action="export").count() == 2
    other = login_as(personas.humboldt.lead).get(
        reverse("implementation:export", args=["plans"]) + "?format=csv")
    assert "Strategic implementation plan" not in other.content.decode("utf-8-sig")


def test_an_unknown_export_format_is_refused(personas: Personas, login_as: Any) -> None:
    response = login_as(personas.fresno.lead).get(
        reverse("implementation:export", args=["plans"]) + "?format=pdf")
    assert response.status_code == 400
    assert response.text == "format: must be csv or xlsx, not 'pdf'"


def test_a_lead_rewrites_the_charter_and_the_change_is_audited(personas: Personas,
                                                               login_as: Any) -> None:
    world = build_world(personas)
    client = login_as(personas.fresno.lead)
    url = reverse("implementation:team_edit", args=[world.team.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"purpose": "Make it happen.", "decision_authority": "",
                                 "communication_protocol": "", "cadence": "biweekly",
                                 "edit_version": world.team.edit_version})
    assert response.status_code == 302
    team = Team.objects.get(pk=world.team.pk)
    assert (team.purpose, team.cadence) == ("Make it happen.", "biweekly")
    event = AuditEvent.objects.get(object_type="implementation.team", action="update")
    assert event.changed_fields == ["cadence", "purpose"]


def test_a_status_change_says_it_was_updated(personas: Personas, login_as: Any) -> None:
    world = build_world(personas)
    client = login_as(personas.fresno.lead)
    response = client.post(reverse("implementation:action_status", args=[world.action.pk]),
                           {"status": "done", "edit_version": world.action.edit_version},
                           follow=True)
    assert f"Status updated: “{world.action}” is now Done." in response.content.decode()
    item = world.item
    response = client.post(reverse("implementation:item_status", args=[item.pk]),
                           {"status": "done", "edit_version": item.edit_version}, follow=True)
    assert f"Status updated: “{item}” is now Done." in response.content.decode()


def test_a_teams_meetings_page_instead_of_stopping_at_fifty(
        personas: Personas, login_as: Any) -> None:
    team = build_world(personas).team
    Meeting.objects.bulk_create([
        Meeting(team=team, title=f"Monthly {n}", kind="regular",
                held_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=7 * n))
        for n in range(60)])
    client = login_as(personas.fresno.lead)
    page = client.get(reverse("implementation:team_detail", args=[team.pk])).content.decode()
    assert "1–50 of 61" in page
    second = client.get(reverse("implementation:team_detail", args=[team.pk]), {"page": "2"})
    assert "51–61 of 61" in second.content.decode()


def test_the_team_page_marks_an_open_item_past_its_due_date_overdue(
        personas: Personas, login_as: Any) -> None:
    world = build_world(personas)
    meeting = world.item.meeting
    today = timezone.localdate()
    teams.add_action_item(personas.fresno.lead, meeting, text="Send the late minutes",
                          due_on=today - datetime.timedelta(days=1))
    teams.add_action_item(personas.fresno.lead, meeting, text="Book the next room",
                          due_on=today + datetime.timedelta(days=7))
    page = login_as(personas.fresno.lead).get(
        reverse("implementation:team_detail", args=[meeting.team_id])).content.decode()
    late = page[page.index("Send the late minutes"):]
    assert late[:late.index("</li>")].count("(overdue)") == 1
    soon = page[page.index("Book the next room"):]
    assert "(overdue)" not in soon[:soon.index("</li>")]
