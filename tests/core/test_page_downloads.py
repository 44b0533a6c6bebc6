"""Any table or chart a page draws downloads from the page itself: the same view, the same query,
the same figures; the file holds what the table shows and each download is audited."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from practicehub.audit.actions import Action
from practicehub.audit.models import AuditEvent
from practicehub.audit.services import record_event
from practicehub.core.services.html_tables import table_from_html
from practicehub.core.services.tables import Percent, Table, to_csv, to_xlsx
from practicehub.testing.personas import Personas

DRAWN = """
<table><caption> Visits by <em>site</em> </caption>
<thead><tr><th scope="col">Site<span class="usa-sr-only" data-download="skip">, sort</span></th>
<th>Visits</th><th>Share</th><th>Rate</th></tr></thead>
<tbody>
<tr><th scope="row">Fresno <span aria-hidden="true">▲</span></th><td>1,204</td><td>45%</td>
<td data-value="0.123456">12.3</td></tr>
<tr><th scope="row">Kern</th><td>suppressed</td><td>—</td><td colspan="1">=1+1</td></tr>
<tr><td colspan="4">Nothing else.</td></tr>
</tbody></table><table><tr><td>second table</td></tr></table>"""


def test_a_drawn_table_reads_back_as_the_page_shows_it() -> None:
    table = table_from_html(DRAWN, "visits")
    assert table.title == "Visits by site"
    assert table.headers == ["Site", "Visits", "Share", "Rate"]
    assert table.rows[0] == ["Fresno", 1204, Percent(Decimal(45), "45%"), Decimal("0.123456")]
    assert table.rows[1] == ["Kern", "suppressed", "—", "=1+1"]
    assert table.rows[2] == ["Nothing else.", None, None, None]


def test_the_files_keep_the_figures_and_guard_formulas() -> None:
    table = table_from_html(DRAWN, "visits", ("Period: 2024", "Counts 1 to 10 are suppressed."))
    text = to_csv(table).decode("utf-8-sig")
    assert text.startswith("# Period: 2024\r\n# Counts 1 to 10 are suppressed.\r\nSite,")
    assert "Fresno,1204,45%,0.123456\r\n" in text
    assert "Kern,suppressed,—,'=1+1\r\n" in text
    book = load_workbook(io.BytesIO(to_xlsx(table)))
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[2]] == ["Fresno", 1204, 0.45, 0.123456]
    assert sheet["C2"].number_format == "0%"
    assert [cell.value for cell in book["About"]["A"]] == [
        "Visits by site", "Period: 2024", "Counts 1 to 10 are suppressed."]


def test_a_table_without_notes_has_one_sheet_and_no_comment_lines() -> None:
    table = Table("t", "T", ["a"], [["x"]])
    assert to_csv(table) == "\ufeffa\r\nx\r\n".encode()
    assert load_workbook(io.BytesIO(to_xlsx(table))).sheetnames == ["T"]


def _cells(body: str) -> list[list[str]]:
    return list(csv.reader(line for line in body.splitlines() if not line.startswith("# ")))


def test_a_page_table_downloads_with_the_pages_filters(personas: Personas,
                                                      login_as: Any) -> None:
    fresno = personas.fresno
    record_event(Action.EXPORT, object_type="accounts.user", object_id=str(fresno.coach.pk))
    record_event(Action.VIEW, object_type="accounts.user", object_id=str(fresno.evaluator.pk))
    client = login_as(personas.state_admin)
    page = client.get(reverse("audit:events"), {"action": "view"}).content.decode()
    link = f"{reverse('audit:events')}?action=view&amp;download=audit-events&amp;format=csv"
    assert f'href="{link}"' in page
    answer = client.get(reverse("audit:events"),
                        {"action": "view", "download": "audit-events", "format": "csv"})
    assert answer["Content-Disposition"].startswith('attachment; filename="audit-events-')
    rows = _cells(answer.content.decode("utf-8-sig"))
    assert rows[0] == ["When", "Actor", "Action", "Record", "Site", "Changed fields", "Request",
                       "IP"]
    records = [row[3] for row in rows[1:]]
    assert f"User: {fresno.evaluator}" in records
    assert f"User: {fresno.coach}" not in records


def test_a_page_download_is_audited_as_an_export(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.state_admin)
    client.get(reverse("audit:events"), {"download": "audit-events", "format": "xlsx"})
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("occurred_at")
    assert event.actor == personas.state_admin
    assert "download=audit-events" in event.object_label


def test_a_name_the_page_does_not_draw_is_refused(personas: Personas, login_as: Any) -> None:
    answer = login_as(personas.state_admin).get(reverse("audit:events"),
                                                {"download": "no-such-table"})
    assert answer.status_code == 404
    assert "this page shows no table or chart named 'no-such-table'" in answer.content.decode()


def test_a_format_a_table_has_not_is_refused_by_name(personas: Personas,
                                                     login_as: Any) -> None:
    answer = login_as(personas.state_admin).get(reverse("audit:events"),
                                                {"download": "audit-events", "format": "pdf"})
    assert answer.status_code == 400
    assert "format: must be csv or xlsx, not 'pdf'" in answer.content.decode()


def test_a_page_someone_may_not_open_downloads_nothing(personas: Personas,
                                                       login_as: Any) -> None:
    answer = login_as(personas.fresno.lead).get(reverse("audit:events"),
                                                {"download": "audit-events"})
    assert answer.status_code == 403
    assert "Content-Disposition" not in answer


def test_a_picker_with_no_choice_marked_reads_as_the_first_option_the_browser_shows() -> None:
    drawn = ('<table><tr><th>Activity</th><th>Rating</th></tr>'
             '<tr><td>EXP-1</td><td><select name="rating"><option value="u">Undeveloped</option>'
             '<option value="p">Partly</option></select></td></tr>'
             '<tr><td>EXP-2</td><td><select name="rating"><option value="u">Undeveloped</option>'
             '<option value="p" selected>Partly</option></select></td></tr></table>')
    assert table_from_html(drawn, "stages").rows == [["EXP-1", "Undeveloped"],
                                                     ["EXP-2", "Partly"]]
