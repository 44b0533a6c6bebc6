"""Outcome dashboards. Views read the county and period asked for (404 for a county outside the
user's scope), call one page builder of services/ (overview_page, disparities_page,
long_stays_page, permanency_page) and render. Figures are aggregates, not person-level records,
so viewing them records no audit event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from practicehub.core.downloads import table_download
from practicehub.outcomes.services import (
    dashboard_data,
    dashboard_selection,
    disparities_page,
    long_stays_page,
    overview_page,
    permanency_page,
)
from practicehub.outcomes.services import data_quality as quality_page
from practicehub.outcomes.services.access import outcome_scope
from practicehub.outcomes.services.dashboard_data import DashboardData
from practicehub.outcomes.services.dashboard_selection import Selection

# The GET parameters of every dashboard's form.
ASKED = ("county", "period", "start", "end", "office", "by")
Builder = Callable[[DashboardData, Selection], dict[str, Any]]


def _page(request: HttpRequest, template: str, build: Builder,
          by_office: bool = True) -> HttpResponse:
    """``by_office`` False: the page has no office picker (its rates need population figures,
    which exist by county only), and an office asked for is not applied."""
    scope = outcome_scope(request.user)
    with dashboard_data.opened() as data:
        if data is None or scope.empty:
            return render(request, template, {"no_data": data is None, "no_scope": scope.empty})
        try:
            asked = {key: request.GET.get(key, "").strip() for key in ASKED}
            if not by_office:
                asked["office"] = ""
            selection = dashboard_selection.select(data, scope, **asked)
            if not by_office:
                selection = replace(selection, offices=())
        except dashboard_selection.OutOfScope:
            raise Http404("No such county in your scope") from None
        context = dashboard_selection.context_notes(selection)
        context.update(build(data, selection))
    return render(request, template, context)


def dashboard(request: HttpRequest) -> HttpResponse:
    def build(data: DashboardData, selection: Selection) -> dict[str, Any]:
        measures, groups = overview_page.breakdown(data, selection)
        return {"measures": overview_page.overview(data, selection), "show_grouping": True,
                "group_measures": measures, "groups": groups}

    return _page(request, "outcomes/dashboard.html", build)


def disparities(request: HttpRequest) -> HttpResponse:
    return _page(request, "outcomes/disparities.html", lambda data, selection: {
        "stages": disparities_page.disparities(data, selection)}, by_office=False)


def long_stays(request: HttpRequest) -> HttpResponse:
    return _page(request, "outcomes/long_stays.html", lambda data, selection: {
        "totals": long_stays_page.long_stay_totals(data, selection),
        "tables": long_stays_page.long_stays(data, selection)})


def time_to_permanency(request: HttpRequest) -> HttpResponse:
    return _page(request, "outcomes/time_to_permanency.html", lambda data, selection: {
        "page": permanency_page.permanency(data, selection)})


def data_quality(request: HttpRequest) -> HttpResponse:
    """The data-quality report (§1a) of the imported data, for the counties in scope."""
    scope = outcome_scope(request.user)
    with dashboard_data.opened() as data:
        if data is None or scope.empty:
            return render(request, "outcomes/data_quality.html",
                          {"no_data": data is None, "no_scope": scope.empty})
        try:
            report = quality_page.page(data, scope, request.GET.get("county", "").strip())
        except LookupError:
            raise Http404("No such county in your scope") from None
    return render(request, "outcomes/data_quality.html",
                  {"report": report, "can_download": scope.unsuppressed,
                   "statewide": scope.statewide})


def data_quality_flagged(request: HttpRequest) -> HttpResponse:
    """The flagged rows (file, row, check) as CSV or Excel; the middleware audits the download."""
    scope = outcome_scope(request.user)
    if scope.empty:
        raise Http404("No county in your scope")
    with dashboard_data.opened() as data:
        try:
            # Nothing imported yet: nothing flagged, an empty file with its headers.
            table = (quality_page.flagged_table(data, scope, request.GET.get("county", "").strip())
                     if data is not None else quality_page.flagged_rows_table())
        except LookupError:
            raise Http404("No such county in your scope") from None
    return table_download(table, request.GET.get("format", "csv"), "outcomes")
