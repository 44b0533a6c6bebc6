"""Files out of the platform: a table as CSV or Excel, a chart as PNG or SVG.

``table_download`` sends a table a service built (the observations export, an import template).

Every table and chart a page shows downloads through the page itself: its template wraps the
table in ``{% downloadable "name" %}`` and puts ``{% chart_downloads chart %}`` under a chart
(``core/templatetags/downloads.py``), which draw links to the same URL with the same query and
``download=name&format=csv``. ``PageDownloadMiddleware`` runs the page's own view for such a
request, so the same permission rule, scope, period, grouping and suppression apply, and the
template tags hand it the table (read back from the HTML it drew) or the chart's spec instead of
writing them into the page; it answers the file instead of the page. Every download is an
attachment, which the audit middleware records as an export.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase

from practicehub.core import vega
from practicehub.core.services import export_jobs
from practicehub.core.services.tables import Table, export_bytes

TABLE_FORMATS = ("csv", "xlsx")
CHART_FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def table_download(table: Table, fmt: str, app: str) -> HttpResponse:
    """``table`` as an attachment in ``fmt`` (csv or xlsx); 400 naming the formats otherwise."""
    try:
        data, content_type, filename = export_bytes(table, fmt, app)
    except ValueError as error:
        return _refused(str(error))
    return _attachment(data, content_type, filename)


def chart_download(spec: dict[str, Any], fmt: str, name: str) -> HttpResponse:
    """The chart drawn from ``spec`` as an attachment in ``fmt`` (png or svg)."""
    if fmt not in CHART_FORMATS:
        return _refused(f"format: a chart downloads as png or svg, not {fmt!r}")
    try:
        data: bytes = vega.png(spec) if fmt == "png" else vega.svg(spec).encode()
    except ValueError as error:  # vl-convert could not draw it (say, a chart with no size)
        return _refused(f"This chart cannot be drawn as {fmt}: {error}", 422)
    return _attachment(data, CHART_FORMATS[fmt], f"{name}.{fmt}")


def _attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _refused(message: str, status: int = 400) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def slug(text: str, fallback: str) -> str:
    """A download's name from its caption or title: lower case, hyphens, at most 60 letters."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return words or fallback


@dataclass
class Wanted:
    """What a download request asks for, and what the page's template tags found for it."""

    name: str
    fmt: str
    table: Table | None = None
    spec: dict[str, Any] | None = None
    seen: set[str] = field(default_factory=set)


def wanted(request: HttpRequest) -> Wanted | None:
    found = getattr(request, "page_download", None)
    return found if isinstance(found, Wanted) else None


class PageDownloadMiddleware:
    """Answers ``?download=NAME&format=FMT`` on any page with that table or chart of the page.

    Sits after the permission map and the audit middleware in MIDDLEWARE, so a refused request
    draws nothing and the audit middleware sees the file it answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        name = request.GET.get("download")
        if name is None or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        if not KEY.match(name):
            return _refused("download: a table or chart name is lower-case letters, digits and "
                            f"hyphens, not {name[:80]!r}")
        fmt = request.GET.get("format", "csv")
        asked = Wanted(name, fmt)
        request.page_download = asked  # type: ignore[attr-defined]
        response = self.get_response(request)
        if response.status_code != 200 or "html" not in str(response.get("Content-Type", "")):
            return response  # the page's own answer: sign-in, 404, a refusal
        if asked.table is not None:
            queued = export_jobs.in_background(request, len(asked.table.rows),
                                               asked.table.title or name)
            return queued or table_download(asked.table, fmt, "page")
        if asked.spec is not None:
            return chart_download(asked.spec, fmt, name)
        return _refused(f"download: this page shows no table or chart named {name!r}", 404)
