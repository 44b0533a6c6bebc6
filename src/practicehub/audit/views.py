from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from practicehub.accounts.http import AuthedRequest
from practicehub.audit.forms import EventFilterForm
from practicehub.audit.models import AuditEvent
from practicehub.audit.services.browse import object_types, record_names
from practicehub.audit.services.export import events_count, events_table
from practicehub.core.downloads import table_download
from practicehub.core.errors import Refused
from practicehub.core.services import export_jobs
from practicehub.core.services.listing import Column, list_page

EVENT_COLUMNS = [
    Column("when", "When", "occurred_at", descending_first=True),
    Column("actor", "Actor", "actor_label"),
    Column("action", "Action", "action"),
    Column("record", "Record", "object_type,object_id"),
    Column("site", "Site", "node__name"),
    Column("fields", "Changed fields"),
    Column("request", "Request"),
    Column("ip", "IP"),
]


def events(request: AuthedRequest) -> HttpResponse:
    form = EventFilterForm(request.GET, object_types=object_types())
    listing = list_page(request, AuditEvent.objects.all(), EVENT_COLUMNS, default_sort="-when",
                        filters=form)
    export_query = request.GET.copy()
    for key in ("page", "sort", "download", "format"):
        export_query.pop(key, None)
    context = {"form": form, "listing": listing, "rows": record_names(listing.rows),
               "export_query": export_query.urlencode()}
    template = "audit/events.html#results" if request.htmx else "audit/events.html"
    # htmx swaps only 2xx answers: the refusal it shows is the message in the results.
    status = 400 if listing.refused and not request.htmx else 200
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    return response


def export(request: AuthedRequest) -> HttpResponse:
    """Every event the audit page's filters match, as CSV or Excel (state administrators)."""
    form = EventFilterForm(request.GET, object_types=object_types())
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(str(e) for e in errors)}"
                             for name, errors in form.errors.items())
        return _refused(f"The filters are refused: {problems}")
    queued = export_jobs.in_background(
        request, events_count(AuditEvent.objects.all(), form.to_filter()), "Audit log")
    if queued is not None:
        return queued
    try:
        table = events_table(AuditEvent.objects.all(), form.to_filter())
    except Refused as refusal:
        return _refused(str(refusal))
    return table_download(table, request.GET.get("format", "csv"), "audit")


def _refused(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
