"""One way to send a table as a file: CSV or Excel from ``core.services.tables``, a clear refusal
of any other format. The audit middleware records downloads of person-level data."""

from __future__ import annotations

from django.http import HttpResponse

from practicehub.core.services.tables import Table, export_bytes


def table_download(table: Table, fmt: str, app: str) -> HttpResponse:
    """``table`` as an attachment in ``fmt`` (csv or xlsx); 400 naming the formats otherwise."""
    try:
        data, content_type, filename = export_bytes(table, fmt, app)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
