"""From every page of every role, each table and chart downloads, and the file holds the page's
figures.

The walk opens each page of the accessibility walk (``tests/browser/pages.py``) as each persona
who may open it (the data of the chart walk: small groups, a small outcome import) and follows
every download link the page draws (``core/templatetags/downloads.py``):

- a table's CSV holds the table's cells as the page shows them, row for row (read here from the
  HTML, independently of the download's own reading: the header row, every body row; numbers
  compare without their thousands commas);
- the first table of each page also downloads as Excel, and the workbook holds the same cells;
- a chart downloads as PNG (an image) and SVG (the chart the page draws, by its title);
- on a page of person-level data, each download is recorded in the audit log as an export.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from practicehub.accounts.permissions import url_permissions
from practicehub.audit.actions import Action
from practicehub.audit.models import AuditEvent
from practicehub.core.errors import Refused
from practicehub.practice_model.services import load_shipped_models
from practicehub.site.navigation import may_open
from practicehub.testing.personas import Personas
from tests.browser.pages import PAGES
from tests.test_charts_match_tables import (
    Node,
    _arguments,
    _everyone,
    _small_groups,
    parse,
)

# Pages whose rows change by the reading itself: the audit log records the page view and then
# the download, so only their headers compare.
GROWS = frozenset({"audit:events"})
NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def _shown(option: Node) -> bool:
    """Whether a picker shows this option: the one marked chosen, else its first."""
    if "selected" in option.attrs:
        return True
    options = [o for o in (option.parent.children if option.parent else []) if o.tag == "option"]
    chosen = any("selected" in o.attrs for o in options)
    return not chosen and bool(options) and options[0] is option


def _raw(node: Node) -> str:
    parts: list[str] = []
    for part in node.content:
        if isinstance(part, str):
            parts.append(part)
        elif part.tag in {"svg", "script", "style", "button", "label"} or part.attrs.get(
                "aria-hidden") == "true" or part.attrs.get("data-download") == "skip" or (
                part.tag == "option" and not _shown(part)):
            continue  # not text a reader takes for a figure (a form in a cell shows its choice)
        else:
            parts.append(_raw(part))
    return "".join(parts)


def _text(node: Node) -> str:
    return " ".join(_raw(node).split())


def _plain(cell: str) -> str:
    cell = " ".join(cell.split())
    return cell.replace(",", "") if NUMBER.match(cell) else cell


def _trimmed(row: list[str]) -> list[str]:
    row = [_plain(cell) for cell in row]
    while row and row[-1] == "":
        row.pop()
    return row


def _html_rows(table: Node) -> list[list[str]]:
    heads = [row for head in table.find("thead") for row in head.find("tr")]
    bodies = [row for body in table.find("tbody") for row in body.find("tr")]
    if not heads and not bodies:
        bodies = table.find("tr")
    rows = [heads[-1]] if heads else []
    rows += bodies
    read = []
    for row in rows:
        cells: list[str] = []
        for cell in row.children:
            if cell.tag in {"th", "td"}:
                cells += [_text(cell)] + [""] * (int(cell.attrs.get("colspan") or 1) - 1)
        read.append(_trimmed(cells))
    return read


def _csv_rows(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8-sig")
    lines = [line for line in text.splitlines() if not line.startswith("# ")]
    rows = [_trimmed(row) for row in csv.reader(lines)]
    # The formula guard quotes a cell that would start a formula; the page shows it as typed.
    return [[cell[1:] if cell[:2] in {"'=", "'+", "'-", "'@"} else cell for cell in row]
            for row in rows]


def _excel_rows(body: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    rows = []
    for row in sheet.iter_rows():
        cells = []
        for cell in row:
            value = cell.value
            if value is None:
                cells.append("")
            elif isinstance(value, int | float) and "%" in cell.number_format:
                places = len(cell.number_format.partition(".")[2].rstrip("%"))
                cells.append(f"{Decimal(str(value)) * 100:.{places}f}%")
            elif isinstance(value, int | float) and "." in cell.number_format:
                places = len(cell.number_format.partition(".")[2])
                cells.append(f"{Decimal(str(value)):.{places}f}")
            elif isinstance(value, float):
                cells.append(format(Decimal(str(value)).normalize(), "f"))
            elif isinstance(value, date):
                cells.append(value.isoformat())
            else:
                cells.append(str(value))
        rows.append(_trimmed(cells))
    return [[cell[1:] if cell[:2] in {"'=", "'+", "'-", "'@"} else cell for cell in row]
            for row in rows]


def _downloads(page: Node) -> list[tuple[str, str, Node | None]]:
    """Each download link: its href, its format, and the table it is drawn under."""
    found = []
    for paragraph in page.walk():
        if "ph-downloads" not in paragraph.attrs.get("class", ""):
            continue
        siblings = paragraph.parent.children if paragraph.parent else []
        index = next(i for i, sibling in enumerate(siblings) if sibling is paragraph)
        before = siblings[index - 1] if index else None
        for link in paragraph.find("a"):
            href = link.attrs.get("href", "").replace("&amp;", "&")
            query = parse_qs(urlsplit(href).query)
            if "download" not in query:
                continue  # the audit log's or the observations' own export
            if before is not None and "ph-table-scroll" in before.attrs.get("class", ""):
                before = next((c for c in before.children if c.tag == "table"), None)
            table = before if before is not None and before.tag == "table" else None
            found.append((href, query.get("format", ["csv"])[0], table))
    return found


# Every page of every role, each file downloaded and read: about 400 s on a loaded 2-core machine,
# so the hang guard is wider than the suite's 600 s.
@pytest.mark.timeout(1800)
def test_every_table_and_chart_downloads_what_its_page_shows(
    personas: Personas, small_outcome_import: Path, settings: Any,
) -> None:
    settings.OUTCOMES_DIR = small_outcome_import
    load_shipped_models()
    _small_groups(personas)
    client = Client()
    problems: list[str] = []
    tables = charts = excel = 0
    for user in _everyone(personas):
        client.force_login(user)
        for name, arguments in PAGES.items():
            if not may_open(user, name):
                continue
            try:
                kwargs = _arguments(arguments, user)
            except Refused:
                continue  # a record this persona may not make: another persona walks the page
            if kwargs is None:
                continue
            views = AuditEvent.objects.filter(action=Action.VIEW).count()
            response = client.get(reverse(name, kwargs=kwargs))
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            page = parse(response.content.decode())
            first_table = True
            # Person-level for this reader: the page's own reading was recorded (reading your
            # own record is not).
            person_level = (url_permissions()[name].person_level is not None and AuditEvent
                            .objects.filter(action=Action.VIEW).count() > views)
            for href, fmt, table in _downloads(page):
                where = f"{name} as {user.username}, {href}"
                if fmt == "xlsx" and not first_table:
                    continue
                before = AuditEvent.objects.filter(action=Action.EXPORT).count()
                answer = client.get(href)
                if answer.status_code != 200 or not answer.get(
                        "Content-Disposition", "").startswith("attachment"):
                    problems.append(f"{where}: answered {answer.status_code}")
                    continue
                if person_level and AuditEvent.objects.filter(
                        action=Action.EXPORT).count() != before + 1:
                    problems.append(f"{where}: the download of person-level data is not audited")
                if fmt in {"csv", "xlsx"}:
                    if table is None:
                        problems.append(f"{where}: a table link with no table above it")
                        continue
                    shown = _html_rows(table)
                    got = _csv_rows(answer.content) if fmt == "csv" else _excel_rows(
                        answer.content)
                    if name in GROWS:
                        got, shown = got[:1], shown[:1]  # the header; each reading adds a row
                    if got != shown:
                        problems.append(f"{where}: the file holds {got[:3]}…, the page "
                                        f"{shown[:3]}…")
                    if fmt == "csv":
                        tables += 1
                    else:
                        excel += 1
                        first_table = False
                elif fmt == "png":
                    charts += 1
                    if not answer.content.startswith(b"\x89PNG"):
                        problems.append(f"{where}: not a PNG")
                elif fmt == "svg" and not answer.content.lstrip().startswith(b"<svg"):
                    problems.append(f"{where}: not an SVG")
    assert tables > 100, tables
    assert charts > 10, charts
    assert excel > 30, excel
    assert not problems, "\n".join(problems[:40])
