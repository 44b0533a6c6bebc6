"""Fidelity beside outcomes: offices' and workers' fidelity next to the outcomes of the episodes
they carried (``fidelity/services/beside_outcomes.py``). Descriptive only; the page says so."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from practicehub.accounts.models import OrgNode, User
from practicehub.fidelity import charts
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import beside_outcomes
from practicehub.outcomes.data.store import OutcomeData
from practicehub.outcomes.engine.periods import Period, PeriodError, parse_period
from practicehub.outcomes.services.access import open_outcomes, outcome_scope

P1, P5 = beside_outcomes.LINKED_MEASURES  # permanency in 12 months, placement moves


def scatter_spec(title: str, rows: list[beside_outcomes.LinkedRow]) -> dict[str, Any]:
    """Share proficient (x) against permanency in 12 months (y), one labelled point per row;
    rows with a hidden or suppressed figure are left out."""
    values = [{"label": row.label, "fidelity": row.fidelity.share,
               "permanency": row.outcome(P1).value}
              for row in rows
              if row.fidelity is not None and not row.fidelity.hidden
              and row.fidelity.share is not None and row.outcome(P1).value is not None]
    x = {"field": "fidelity", "type": "quantitative", "title": "Share of ratings proficient",
         "axis": {"format": "%"}, "scale": {"domain": [0, 1]}}
    y = {"field": "permanency", "type": "quantitative", "title": "Permanency in 12 months (P1)",
         "axis": {"format": "%"}, "scale": {"domain": [0, 1]}}
    return {
        "$schema": charts.SCHEMA, "title": title, "width": 420, "height": 320,
        "config": charts.CONFIG,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "point", "filled": True, "size": 70, "color": "#005ea2"},
             "encoding": {"x": x, "y": y}},
            {"mark": {"type": "text", "align": "left", "dx": 7, "color": "#1b1b1b"},
             "encoding": {"x": x, "y": y, "text": {"field": "label"}}},
        ],
    }


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _tool(request: HttpRequest) -> ObservationTool | None:
    wanted = request.GET.get("tool", "")
    found = ObservationTool.objects.filter(pk=wanted).first() if wanted.isdigit() else None
    return found or ObservationTool.objects.first()


def _chosen(request: HttpRequest, offices: QuerySet[OrgNode], workers: QuerySet[User]
            ) -> tuple[OrgNode | None, User | None, list[OrgNode], list[User]]:
    """The office and worker asked for (404 outside scope) and the rows to show."""
    office = (get_object_or_404(offices, code=request.GET["office"])
              if request.GET.get("office") else None)
    worker = (get_object_or_404(workers, username=request.GET["worker"])
              if request.GET.get("worker") else None)
    if office is not None:
        workers = workers.filter(role_assignments__node__path__startswith=office.path)
    if worker is not None:
        return office, worker, [office] if office else beside_outcomes.offices_of(
            worker, offices), [worker]
    return office, worker, [office] if office else list(offices), list(workers)


def _period(request: HttpRequest, data: OutcomeData) -> tuple[Period | None, str]:
    default = beside_outcomes.default_period(data)
    text = request.GET.get("period", "").strip()
    if not text:
        return default, ""
    try:
        return parse_period(text), ""
    except PeriodError as error:
        return default, str(error)


def outcomes(request: HttpRequest) -> HttpResponse:
    user, tool = _user(request), _tool(request)
    offices = beside_outcomes.offices_in_scope(user)
    workers = beside_outcomes.workers_in_scope(user)
    office, worker, office_rows, worker_rows = _chosen(request, offices, workers)
    context: dict[str, Any] = {
        "tool": tool, "tools": ObservationTool.objects.all(), "office": office,
        "worker": worker, "offices": offices, "workers": workers, "result": None,
        "no_data": False, "no_assignments": False, "period_error": "",
    }
    data = open_outcomes()
    if data is None:
        context["no_data"] = True
        return render(request, "fidelity/outcomes.html", context)
    try:
        period, context["period_error"] = _period(request, data)
        context["period"] = period
        context["no_assignments"] = not beside_outcomes.has_assignments(data)
        if tool is not None and period is not None and not context["no_assignments"]:
            context["data_until"] = beside_outcomes.data_until(data)
            context["result"] = beside_outcomes.fidelity_outcomes(
                data, user, tool, period, outcome_scope(user), office_rows, worker_rows)
    finally:
        data.close()
    result = context["result"]
    if result is not None:
        plotted = result.workers or result.offices
        context["chart"] = charts.render_svg(scatter_spec(
            "Fidelity and permanency in 12 months", plotted))
        context["chart_level"] = "worker" if result.workers else "office"
        context["follow_up_complete"] = beside_outcomes.follow_up_complete(
            result.period, context["data_until"])
    return render(request, "fidelity/outcomes.html", context)
