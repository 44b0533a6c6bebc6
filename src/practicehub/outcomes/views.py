"""Outcome dashboards. Views read the county and period asked for (404 for a county outside the
user's scope), call one builder of services/dashboards.py and render. Figures are aggregates, not
person-level records, so viewing them records no audit event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from practicehub.outcomes.services import dashboards
from practicehub.outcomes.services.access import outcome_scope

Builder = Callable[[dashboards.DashboardData, dashboards.Selection], dict[str, Any]]


def _page(request: HttpRequest, template: str, build: Builder) -> HttpResponse:
    scope = outcome_scope(request.user)
    with dashboards.opened() as data:
        if data is None or scope.empty:
            return render(request, template, {"no_data": data is None, "no_scope": scope.empty})
        try:
            selection = dashboards.select(data, scope, request.GET.get("county", ""),
                                          request.GET.get("period", ""))
        except dashboards.OutOfScope:
            raise Http404("No such county in your scope") from None
        context = dashboards.context_notes(selection)
        context.update(build(data, selection))
    return render(request, template, context)


def dashboard(request: HttpRequest) -> HttpResponse:
    def build(data: dashboards.DashboardData, selection: dashboards.Selection) -> dict[str, Any]:
        measures, offices = dashboards.office_breakdown(data, selection)
        return {"measures": dashboards.overview(data, selection),
                "office_measures": measures, "offices": offices}

    return _page(request, "outcomes/dashboard.html", build)


def disparities(request: HttpRequest) -> HttpResponse:
    return _page(request, "outcomes/disparities.html", lambda data, selection: {
        "stages": dashboards.disparities(data, selection)})


def long_stays(request: HttpRequest) -> HttpResponse:
    return _page(request, "outcomes/long_stays.html", lambda data, selection: {
        "totals": dashboards.long_stay_totals(data, selection),
        "tables": dashboards.long_stays(data, selection)})


def time_to_permanency(request: HttpRequest) -> HttpResponse:
    return _page(request, "outcomes/time_to_permanency.html", lambda data, selection: {
        "page": dashboards.permanency(data, selection)})
