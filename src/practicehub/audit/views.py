from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from practicehub.audit.forms import EventFilterForm
from practicehub.audit.models import AuditEvent
from practicehub.audit.services.browse import EventFilter, filter_events, object_types
from practicehub.core.http import HtmxHttpRequest


def events(request: HtmxHttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, object_types=object_types())
    wanted = form.to_filter() if form.is_valid() else EventFilter()
    page = Paginator(filter_events(AuditEvent.objects.all(), wanted), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "audit/events.html#results" if request.htmx else "audit/events.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response
