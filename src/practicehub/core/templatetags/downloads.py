"""Download links under every table and chart of a page (see ``core/downloads.py``).

``{% downloadable "name" [note=text] %}<table>…</table>{% enddownloadable %}`` draws the table and
links to it as CSV and Excel; ``{% chart_downloads chart %}`` draws links to a chart (a
``vega.Drawn``) as PNG and SVG. On a download request for the name, they hand the table or the
chart to the download middleware instead. ``note`` goes with the file (the period, scope and
suppression rule); several notes are separated by a blank line ("\\n\\n").
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.http import HttpRequest, QueryDict
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

from practicehub.core import vega
from practicehub.core.downloads import Wanted, slug, wanted
from practicehub.core.services.html_tables import table_from_html

register = template.Library()


def _links(request: HttpRequest | None, name: str, kind: str,
           formats: tuple[tuple[str, str], ...]) -> SafeString:
    if request is None:
        return mark_safe("")
    links = []
    for fmt, label in formats:
        query: QueryDict = request.GET.copy()
        query["download"], query["format"] = name, fmt
        links.append((f"{request.path}?{query.urlencode()}", label))
    return mark_safe(render_to_string("core/includes/downloads.html",
                                      {"kind": kind, "links": links}))


def _unique(request: HttpRequest | None, name: str) -> str:
    """The name, numbered if the page already used it (a page drawn twice numbers alike)."""
    if request is None:
        return name
    used: set[str] = request.__dict__.setdefault("download_names", set())
    unique, count = name, 1
    while unique in used:
        count += 1
        unique = f"{name}-{count}"
    used.add(unique)
    return unique


class DownloadableNode(template.Node):
    def __init__(self, name: FilterExpression, note: FilterExpression | None,
                 nodelist: NodeList) -> None:
        self.name, self.note, self.nodelist = name, note, nodelist

    def render(self, context: Context) -> str:
        request: HttpRequest | None = context.get("request")
        name = _unique(request, slug(str(self.name.resolve(context)), "table"))
        inner = self.nodelist.render(context)
        asked = wanted(request) if request is not None else None
        if asked is not None and asked.name == name:
            note = str(self.note.resolve(context) or "") if self.note is not None else ""
            notes = tuple(part.strip() for part in note.split("\n\n") if part.strip())
            table = table_from_html(inner, name, notes)
            asked.table = table.__class__(key=slug(table.title, name), title=table.title,
                                          headers=table.headers, rows=table.rows, notes=notes)
        return _scrolling(inner) + _links(request, name, "table",
                                          (("csv", "CSV"), ("xlsx", "Excel")))


CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S | re.I)


def _scrolling(inner: str) -> SafeString:
    """The table in a box that scrolls sideways when the table is wider than the screen, so the
    page itself never is; the box takes the keyboard (arrow keys scroll it) and is named by the
    table's caption."""
    found = CAPTION.search(inner)
    caption = " ".join(strip_tags(found.group(1)).split()) if found else ""
    return format_html('<div class="ph-table-scroll" tabindex="0" role="region" '
                       'aria-label="{}">{}</div>', caption or "Table", mark_safe(inner))


@register.tag
def downloadable(parser: Parser, token: Token) -> DownloadableNode:
    bits = token.split_contents()
    if len(bits) not in {2, 3} or (len(bits) == 3 and not bits[2].startswith("note=")):
        raise template.TemplateSyntaxError(
            '{% downloadable "name" [note=text] %}…{% enddownloadable %}')
    note = parser.compile_filter(bits[2].removeprefix("note=")) if len(bits) == 3 else None
    nodelist = parser.parse(("enddownloadable",))
    parser.delete_first_token()
    return DownloadableNode(parser.compile_filter(bits[1]), note, nodelist)


@register.simple_tag(takes_context=True)
def chart_downloads(context: Context, chart: Any, name: str = "") -> SafeString:
    """Links to ``chart`` as PNG and SVG; nothing for a page without a chart."""
    spec = getattr(chart, "spec", None)
    if not isinstance(spec, dict):
        return mark_safe("")
    request: HttpRequest | None = context.get("request")
    key = _unique(request, slug(name or vega.title_of(spec), "chart"))
    asked: Wanted | None = wanted(request) if request is not None else None
    if asked is not None and asked.name == key:
        asked.spec = spec
    return _links(request, key, "chart", (("png", "PNG"), ("svg", "SVG")))


