"""Lists as plain tables, written as CSV or Excel; every export is recorded in the audit log.

A table may carry notes (the period, scope and suppression rule it was drawn for): CSV writes them
as ``# `` comment lines above the header row, Excel on a second sheet, "About"."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook


@dataclass(frozen=True)
class Percent:
    """A share as the page shows it ("45%"): CSV keeps the text, Excel the number as a percent."""

    value: Decimal  # 45 for 45%
    shown: str

    def __str__(self) -> str:
        return self.shown


Cell = str | int | Decimal | Percent | datetime.date | None

FORMATS = {"csv": ("text/csv; charset=utf-8", "csv"),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    notes: tuple[str, ...] = ()


FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r"})


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


def _safe(text: str) -> str:
    # A leading = + - @ makes spreadsheet programs run the cell as a formula; so may a leading tab
    # or carriage return, which some of them skip before reading the cell (OWASP CSV injection).
    return f"'{text}" if text[:1] in FORMULA_STARTS and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def csv_text(table: Table) -> str:
    """The table as CSV text (RFC 4180 line ends), every cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for note in table.notes:
        buffer.write(f"# {' '.join(note.split())}\r\n")
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_safe(_text(cell)) for cell in row])
    return buffer.getvalue()


def to_csv(table: Table) -> bytes:
    # The byte-order mark tells Excel the file is UTF-8; the imports accept it.
    return csv_text(table).encode("utf-8-sig")


def _sheet_name(title: str, taken: set[str]) -> str:
    # Excel refuses : \ / ? * [ ] in a sheet's name, more than 31 letters and a name twice.
    base = re.sub(r"[:\\/?*\[\]]", " ", title)[:31].strip() or "Table"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[:31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _fill(sheet: Any, table: Table) -> None:
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append([_excel(cell) for cell in row])
        for column, cell in enumerate(row, start=1):
            # Shown as the page shows it: 45.0% stays 45.0%, 12.50 stays 12.50.
            if isinstance(cell, Percent):
                places = len(cell.shown.rstrip("%").partition(".")[2])
                sheet.cell(sheet.max_row, column).number_format = _places(places) + "%"
            elif isinstance(cell, Decimal) and cell.as_tuple().exponent != 0:
                exponent = cell.as_tuple().exponent
                places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                sheet.cell(sheet.max_row, column).number_format = _places(places)


def to_xlsx(table: Table) -> bytes:
    return to_xlsx_book([table], table.title, table.notes)


def to_xlsx_book(tables: Sequence[Table], title: str, notes: Sequence[str] = ()) -> bytes:
    """Several tables as one workbook, a sheet each (named by its title), and the notes on a
    last sheet, "About", under ``title``."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    taken = {"about"} if notes else set()
    for table in tables:
        _fill(book.create_sheet(_sheet_name(table.title, taken)), table)
    if notes:
        about = book.create_sheet("About")
        about.append([title])
        for note in notes:
            about.append([_safe(note)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _places(places: int) -> str:
    return "0" + ("." + "0" * places if places else "")


def _excel(cell: Any) -> Any:
    if isinstance(cell, Percent):
        return float(cell.value) / 100
    if isinstance(cell, Decimal):
        return float(cell)
    return _safe(cell) if isinstance(cell, str) else cell


def export_bytes(table: Table, fmt: str, app: str) -> tuple[bytes, str, str]:
    """The file's bytes, content type and name. The audit middleware records the download."""
    if fmt not in FORMATS:
        raise ValueError(f"format: must be csv or xlsx, not {fmt!r}")
    content_type, extension = FORMATS[fmt]
    data = to_csv(table) if fmt == "csv" else to_xlsx(table)
    return data, content_type, f"{table.key}.{extension}"
