"""The audit log leaves the platform as CSV or Excel for state administrators only, with the
audit page's filters, and each export is itself recorded in the log."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from practicehub.audit.actions import Action
from practicehub.audit.models import AuditEvent
from practicehub.audit.services import record_event
from practicehub.testing.personas import Personas


def _csv(body: bytes) -> list[list[str]]:
    lines = [line for line in body.decode("utf-8-sig").splitlines() if not line.startswith("#")]
    return list(csv.reader(lines))


def test_state_administrators_export_the_events_the_filters_match(
        personas: Personas, login_as: Any) -> None:
    fresno = personas.fresno
    record_event(Action.EXPORT, object_type="accounts.user", object_id=str(fresno.coach.pk))
    record_event(Action.VIEW, object_type="accounts.user", object_id=str(fresno.evaluator.pk))
    answer = login_as(personas.state_admin).get(reverse("audit:export"),
                                                {"action": "view", "format": "csv"})
    assert answer["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    body = answer.content.decode("utf-8-sig")
    assert body.startswith("# Filters: action: view\r\n")
    rows = _csv(answer.content)
    assert rows[0][:4] == ["When (UTC)", "Actor", "Action", "Record"]
    records = [row[3] for row in rows[1:]]
    assert f"User: {fresno.evaluator}" in records
    assert f"User: {fresno.coach}" not in records
    assert {row[2] for row in rows[1:]} == {"Viewed person-level data"}


def test_the_excel_export_holds_the_same_rows_and_its_filters_on_a_second_sheet(
        personas: Personas, login_as: Any) -> None:
    record_event(Action.EXPORT, object_type="accounts.user",
                 object_id=str(personas.fresno.coach.pk))
    client = login_as(personas.state_admin)
    as_csv = _csv(client.get(reverse("audit:export"), {"format": "csv"}).content)
    book = load_workbook(io.BytesIO(client.get(reverse("audit:export"),
                                               {"format": "xlsx"}).content))
    sheet = book["Audit log"]
    cells = [["" if cell is None else str(cell) for cell in row]
             for row in sheet.iter_rows(values_only=True)]
    # The second export is one event newer (the first export was recorded): compare the rows
    # both hold.
    assert cells[0] == as_csv[0]
    assert cells[-len(as_csv) + 1:] == as_csv[1:]
    assert book["About"]["B1"].value is None
    assert book["About"]["A2"].value == "Filters: none (every event)"


def test_a_record_named_as_a_formula_is_written_as_text(
        personas: Personas, login_as: Any) -> None:
    record_event(Action.EXPORT, object_type="=SUM(A1)+1")
    rows = _csv(login_as(personas.state_admin).get(reverse("audit:export")).content)
    assert "'=SUM(A1)+1" in [row[3] for row in rows[1:]]


def test_exporting_the_log_is_recorded(personas: Personas, login_as: Any) -> None:
    login_as(personas.state_admin).get(reverse("audit:export"), {"format": "xlsx"})
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("occurred_at")
    assert event.actor == personas.state_admin
    assert event.object_type == "audit:export"


def test_nobody_but_state_administrators_may_export_the_log(
        personas: Personas, login_as: Any) -> None:
    fresno = personas.fresno
    for person in (fresno.lead, fresno.coach, fresno.evaluator, fresno.practitioner):
        answer = login_as(person).get(reverse("audit:export"))
        assert answer.status_code == 403, person
        assert "Content-Disposition" not in answer


def test_a_bad_date_range_is_refused_by_name(personas: Personas, login_as: Any) -> None:
    answer = login_as(personas.state_admin).get(
        reverse("audit:export"), {"since": "2026-05-01", "until": "2026-04-01"})
    assert answer.status_code == 400
    assert "The end date is before the start date." in answer.content.decode()


def test_the_audit_page_links_to_the_export_with_its_filters(
        personas: Personas, login_as: Any) -> None:
    body = login_as(personas.state_admin).get(reverse("audit:events"),
                                              {"action": "view", "page": "1"}).content.decode()
    assert f'href="{reverse("audit:export")}?action=view&amp;format=xlsx"' in body
