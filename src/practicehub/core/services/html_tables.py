"""A table as the page draws it, read back from its HTML: what a download of the table holds.

Reading the drawn table (rather than building the file a second way) makes the file hold exactly
what the person sees: the same rows, the same suppression ("suppressed", "Hidden: …"), the same
marks. A cell's ``data-value`` attribute, where a template gives one, is the figure unrounded;
otherwise the text is read, and a number as shown ("1,204", "12.5", "45%") becomes a number.
A form inside a cell (a status picker) reads as the option it shows chosen (the first when none
is marked, as the browser shows it); its buttons and labels are not figures.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

from practicehub.core.services.tables import Cell, Percent, Table

NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+(\.\d+)?$")
PERCENT = re.compile(r"^-?\d+(\.\d+)?%$")
SKIPPED = frozenset({"script", "style", "svg", "template", "button", "label"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


def cell_value(text: str) -> Cell:
    """A cell's text as a value: numbers as numbers, shares as percents, the rest as text."""
    text = " ".join(text.split())
    if NUMBER.match(text):
        plain = text.replace(",", "")
        return int(plain) if "." not in plain else Decimal(plain)
    if PERCENT.match(text):
        return Percent(Decimal(text[:-1]), text)
    return text or None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # nesting of <table>: only the first, outermost table is read
        self.done = False
        self.skipping = 0
        self.caption: list[str] | None = None
        self.title = ""
        self.in_head = False
        self.head_rows: list[list[str]] = []
        self.body_rows: list[list[Cell]] = []
        self.row: list[tuple[str, str | None, int, bool]] | None = None
        self.cell: list[str] | None = None
        self.cell_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done or tag in VOID:
            return
        named = dict(attrs)
        # Not read: what is not text (an SVG icon), what screen readers skip (aria-hidden), and
        # what a template marks as not part of the figures (a "sort by" hint).
        # A form in a cell (a status picker) reads as the value it shows: its chosen option.
        if self.skipping or tag in SKIPPED or named.get("aria-hidden") == "true" or (
                named.get("data-download") == "skip") or (
                tag == "option" and "selected" not in named):
            self.skipping += 1
            return
        if tag == "table":
            self.depth += 1
        if self.depth != 1:
            return
        if tag == "caption":
            self.caption = []
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr":
            self.row = []
        elif tag in {"th", "td"} and self.row is not None:
            self.cell, self.cell_attrs = [], named

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if self.skipping:
            if tag not in VOID:
                self.skipping -= 1
            return
        if tag == "table":
            self.depth -= 1
            self.done = self.depth == 0
            return
        if self.depth != 1:
            return
        if tag == "caption" and self.caption is not None:
            self.title, self.caption = " ".join("".join(self.caption).split()), None
        elif tag == "thead":
            self.in_head = False
        elif tag in {"th", "td"} and self.cell is not None and self.row is not None:
            span = int(self.cell_attrs.get("colspan") or 1)
            self.row.append(("".join(self.cell), self.cell_attrs.get("data-value"), span,
                             tag == "th"))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self._end_row(self.row)
            self.row = None

    def _end_row(self, row: list[tuple[str, str | None, int, bool]]) -> None:
        if not row:
            return
        if self.in_head or (not self.head_rows and not self.body_rows
                            and all(header for _, _, _, header in row)):
            self.head_rows.append([" ".join(text.split()) for text, _, span, _ in row
                                   for _ in range(span)])
            return
        cells: list[Cell] = []
        for text, value, span, _ in row:
            cells.append(_valued(value) if value is not None else cell_value(text))
            cells.extend([None] * (span - 1))
        self.body_rows.append(cells)

    def handle_data(self, data: str) -> None:
        if self.done or self.skipping or self.depth != 1:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.caption is not None:
            self.caption.append(data)


def _valued(value: str) -> Cell:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value
    return int(number) if number == number.to_integral_value() and "." not in value else number


SELECT = re.compile(r"<select\b[^>]*>.*?</select>", re.S | re.I)
SELECTED = re.compile(r"<option\b[^>]*\bselected\b", re.I)


def _shown_choice(found: re.Match[str]) -> str:
    """A picker with no option marked chosen shows its first, as the browser draws it."""
    picker = found.group(0)
    return picker if SELECTED.search(picker) else re.sub(
        r"<option\b", "<option selected", picker, count=1, flags=re.I)


def table_from_html(html: str, key: str, notes: tuple[str, ...] = ()) -> Table:
    """The first table in ``html``: its caption as title, its last header row as headers."""
    reader = _Reader()
    reader.feed(SELECT.sub(_shown_choice, html))
    reader.close()
    headers = reader.head_rows[-1] if reader.head_rows else []
    return Table(key=key, title=reader.title or key, headers=headers, rows=reader.body_rows,
                 notes=notes)
