"""Exported CSV and Excel cells never start a formula in a spreadsheet program."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import load_workbook

from practicehub.core.services.tables import Table, to_csv, to_xlsx

DANGEROUS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1",
             "\tplain", "\rplain"]
NUMBERS = ["-5", "+2.5", Decimal("-1.25")]


def _table(cells: Sequence[object]) -> Table:
    return Table("export", "Export", ["value"], [[cell] for cell in cells])


def test_csv_cells_that_a_spreadsheet_would_run_begin_with_a_quote() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_table(DANGEROUS)).decode("utf-8-sig"),
                                       newline="")))
    assert [row[0] for row in rows[1:]] == [f"'{cell}" for cell in DANGEROUS]


def test_excel_cells_that_a_spreadsheet_would_run_begin_with_a_quote() -> None:
    sheet = load_workbook(io.BytesIO(to_xlsx(_table(DANGEROUS)))).active
    assert sheet is not None
    # XML reads a carriage return back as a line feed; the quote in front is what matters.
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        f"'{cell}".replace("\r", "\n") for cell in DANGEROUS]


def test_numbers_and_plain_text_are_left_as_they_are() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_table([*NUMBERS, "Fresno", "a=b"]))
                                       .decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["-5", "+2.5", "-1.25", "Fresno", "a=b"]


def test_the_csv_text_ends_lines_as_rfc_4180_and_the_file_marks_utf_8() -> None:
    table = Table("t", "T", ["name", "note"], [["Ana", "=1+1"], ["Bé", None]])
    assert to_csv(table) == "\ufeffname,note\r\nAna,'=1+1\r\nBé,\r\n".encode()
