"""A report as a PDF (reportlab): real text, tables that split across pages with their header
row repeated, and each chart as a PNG with its data table right after it."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from practicehub.reports.services.charts import chart_png
from practicehub.reports.services.document import Chart, Report, Table

PAGE = LETTER
MARGIN = 0.7 * inch
FRAME_WIDTH = PAGE[0] - 2 * MARGIN
INK = colors.HexColor("#1b1b1b")
RULE = colors.HexColor("#a9aeb1")
SHADE = colors.HexColor("#f0f0f0")
BLUE = colors.HexColor("#005ea2")

_base = getSampleStyleSheet()
STYLES = {
    "title": ParagraphStyle("title", parent=_base["Title"], alignment=TA_LEFT, fontSize=24,
                            leading=29, textColor=INK, spaceAfter=14),
    "h1": ParagraphStyle("h1", parent=_base["Heading1"], fontSize=16, leading=20,
                         textColor=BLUE, spaceBefore=6, spaceAfter=6),
    "h2": ParagraphStyle("h2", parent=_base["Heading3"], fontSize=11, leading=14,
                         textColor=INK, spaceBefore=10, spaceAfter=4),
    "body": ParagraphStyle("body", parent=_base["BodyText"], fontSize=9.5, leading=12.5,
                           textColor=INK),
    "cover": ParagraphStyle("cover", parent=_base["BodyText"], fontSize=12, leading=17,
                            textColor=INK),
    "cell": ParagraphStyle("cell", parent=_base["BodyText"], fontSize=8, leading=10,
                           textColor=INK),
    "head": ParagraphStyle("head", parent=_base["BodyText"], fontName="Helvetica-Bold",
                           fontSize=8, leading=10, textColor=INK),
    "note": ParagraphStyle("note", parent=_base["BodyText"], fontSize=8, leading=10,
                           textColor=colors.HexColor("#454545")),
}


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


# Left and right cell padding (3 + 3 points) and one point more: a word exactly as wide as its
# column would otherwise break ("overdu-e"), as reportlab wraps at the last fraction of a point.
PADDING = 7


def _text_width(text: str, bold: bool = False) -> float:
    return float(stringWidth(text, "Helvetica-Bold" if bold else "Helvetica", 8)) + PADDING


def _widths(table: Table) -> list[float]:
    """Each column at least as wide as its longest word (nothing breaks inside a word or a date)
    and, room allowing, as its longest text; what is left goes to the columns that wrap."""
    columns = range(len(table.headers))
    cells = [[table.headers[i], *(str(row[i]) for row in table.rows if i < len(row))]
             for i in columns]
    least = [max(_text_width(word, bold=n == 0) for n, text in enumerate(texts)
                 for word in (text.split() or [""])) for texts in cells]
    most = [max(_text_width(text, bold=n == 0) for n, text in enumerate(texts))
            for texts in cells]
    if sum(least) >= FRAME_WIDTH:
        return [FRAME_WIDTH * width / sum(least) for width in least]
    spare, wanted = FRAME_WIDTH - sum(least), [m - w for m, w in zip(most, least, strict=True)]
    if sum(wanted) <= spare:  # everything fits on one line: the last column takes the rest
        widths = list(most)
        widths[0] += FRAME_WIDTH - sum(widths)
        return widths
    return [w + spare * extra / sum(wanted) for w, extra in zip(least, wanted, strict=True)]


def table_flowables(table: Table) -> list[Flowable]:
    data = [[_p(h, "head") for h in table.headers],
            *[[_p(str(cell), "cell") for cell in row] for row in table.rows]]
    shown = PdfTable(data, colWidths=_widths(table), repeatRows=1, hAlign="LEFT")
    shown.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    caption = _p(table.caption, "h2")
    found: list[Flowable] = [KeepTogether([caption, shown]) if len(table.rows) < 25
                             else caption]
    if len(table.rows) >= 25:
        found.append(shown)
    if table.note:
        found.append(_p(table.note, "note"))
    return found


def chart_flowables(chart: Chart) -> list[Flowable]:
    png, (width, height) = chart_png(chart.spec)
    # Drawn at twice the page size; shown at most 6 inches wide (a chart's own text stays
    # about as large as the report's) and 3.2 inches tall, so a chart and its table share a page.
    shown_width = min(FRAME_WIDTH, 6 * inch, width / 2 * 0.85)
    shown_height = shown_width * height / width
    if shown_height > 3.2 * inch:
        shown_width, shown_height = shown_width * 3.2 * inch / shown_height, 3.2 * inch
    image = Image(io.BytesIO(png), width=shown_width, height=shown_height, hAlign="LEFT")
    head: list[Flowable] = [_p(f"Chart: {chart.title}", "h2"), _p(chart.description, "note"),
                            Spacer(1, 4), image,
                            _p("The table below has the chart's figures.", "note")]
    table = table_flowables(chart.table)
    if len(chart.table.rows) < 25:  # a chart and its table on one page
        return [KeepTogether([*head, *table])]
    return [KeepTogether(head), *table]


def _cover(report: Report) -> list[Flowable]:
    node = report.node
    where = " › ".join(a.name for a in node.ancestors())
    lines = [
        ("Site", f"{node.name} ({node.get_kind_display().lower()}, code {node.code})"),
        ("Within", where or "—"),
        ("Period", report.period_label),
        ("Produced on", report.produced_on.isoformat()),
        ("Produced by", report.produced_by),
    ]
    if report.edition == "comparison":
        lines.append(("Sites compared", ", ".join(s.name for s in report.sites) or "none"))
    found: list[Flowable] = [Spacer(1, 1.2 * inch), _p(report.title, "title")]
    for label, value in lines:
        found.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", STYLES["cover"]))
    found += [Spacer(1, 0.3 * inch), _p("Contents", "h2")]
    found += [_p(f"{index}. {section.title}", "body")
              for index, section in enumerate(report.sections, 1)]
    found += [Spacer(1, 0.3 * inch), _p(
        "Every figure is read from the same services as the platform's pages, for the records "
        "the producer may see, with the same suppression of small numbers. Each chart is "
        "followed by a table of its figures.", "note"), PageBreak()]
    return found


def _fitted(text: str, width: float, size: float = 7.5) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points (a long title would run into the
    page number)."""
    if stringWidth(text, "Helvetica", size) <= width:
        return text
    while text and stringWidth(text + "…", "Helvetica", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _footer(report: Report) -> Callable[[Canvas, Any], None]:
    text = _fitted(f"{report.title} · {report.period_label} · produced "
                   f"{report.produced_on.isoformat()}", FRAME_WIDTH - 0.8 * inch)

    def draw(canvas: Canvas, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.HexColor("#454545"))
        canvas.drawString(MARGIN, 0.45 * inch, text)
        canvas.drawRightString(PAGE[0] - MARGIN, 0.45 * inch, f"Page {document.page}")
        canvas.restoreState()

    return draw


class _Outlined(SimpleDocTemplate):
    """A document whose viewer opens on an outline (bookmarks): one entry per section heading,
    under it one per chart or table heading, each leading to its page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # reportlab's hook, its name
        level = {"title": 0, "h1": 0, "h2": 1}.get(getattr(getattr(
            flowable, "style", None), "name", ""))
        if level is None or not isinstance(flowable, Paragraph):
            return
        self.entries += 1
        key = f"entry-{self.entries}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level)
        self.canv.showOutline()


def render(report: Report) -> bytes:
    """The report as PDF bytes."""
    story = _cover(report)
    for index, section in enumerate(report.sections, 1):
        story.append(_p(f"{index}. {section.title}", "h1"))
        story += [_p(text, "body") for text in section.intro]
        for block in section.blocks:
            story += chart_flowables(block) if isinstance(block, Chart) else \
                table_flowables(block)
        story.append(Spacer(1, 10))
    out = io.BytesIO()
    # Tagged as far as reportlab goes: the title (shown by the viewer instead of the file's
    # name), the language, and the outline; not a structure tree (PDF/UA).
    document = _Outlined(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN, bottomMargin=0.8 * inch, title=report.title,
                         author=report.produced_by, subject=report.period_label,
                         creator="practicehub", lang="en-US", displayDocTitle=1)
    footer = _footer(report)
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
