"""The fidelity dashboard and rater agreement: aggregates over the places in the user's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.fidelity import charts
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.services.access import aggregate_places, hides_records, sees_people_at
from practicehub.fidelity.services.reliability import reliability


def _choice(request: AuthedRequest, name: str, allowed: list[str], default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _tool(request: AuthedRequest) -> ObservationTool | None:
    tools = ObservationTool.objects.all()
    wanted = request.GET.get("tool", "")
    found = tools.filter(pk=wanted).first() if wanted.isdigit() else None
    return found or tools.first()


def _scope(request: AuthedRequest) -> dashboards.Scope | None:
    user, tool = request.user, _tool(request)
    nodes = aggregate_places(user)
    node = (get_object_or_404(nodes, code=request.GET["node"]) if request.GET.get("node")
            else nodes.order_by("depth", "path").first())
    if tool is None or node is None:
        return None
    return dashboards.Scope(tool=tool, node=node, sees_people=sees_people_at(user, node))


def _with_behavior_ids(scope: dashboards.Scope, groups: list[dashboards.Group]
                       ) -> list[tuple[dashboards.Group, int | None]]:
    """Each behavior group with its behavior's id, for the link that starts a plan on it."""
    ids = dict(scope.tool.behaviors.values_list("code", "pk"))
    return [(group, ids.get(group.key)) for group in groups]


def dashboard(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    context: dict[str, Any] = {"tools": ObservationTool.objects.all(),
                               "hide_records": hides_records(request.user),
                               "nodes": aggregate_places(request.user)[:300], "scope": scope}
    if scope is None:
        return render(request, "fidelity/dashboard.html", context)
    levels = [lvl for lvl in dashboards.PLACE_LEVELS if lvl != "worker" or scope.sees_people]
    level = _choice(request, "level", levels, "unit")
    places = dashboards.by_place(scope, level)
    months = dashboards.by_period(scope, "month")
    run = dashboards.run_chart_of(months)
    context.update({
        "levels": levels, "level": level, "places": places,
        "at_fidelity": dashboards.workers_at_fidelity(scope, level),
        "practices": dashboards.by_content(scope, "practice"),
        "elements": dashboards.by_content(scope, "element"),
        "behaviors": dashboards.by_content(scope, "behavior"),
        "priorities": _with_behavior_ids(scope, dashboards.coaching_priorities(scope)),
        "may_coach": has_capability(request.user, Capability.FIDELITY_OBSERVE),
        "may_export": has_capability(request.user, Capability.FIDELITY_PEOPLE),
        "quarters": dashboards.by_period(scope, "quarter"),
        "months": dashboards.run_rows(months, run), "run": run,
        "place_chart": charts.render_svg(charts.share_bars(
            f"Share proficient by {level}", places)),
        "run_chart": charts.render_svg(charts.run_chart_spec(
            "Share proficient by month", months, run)) if dashboards.charted(months) else "",
    })
    return render(request, "fidelity/dashboard.html", context)


def agreement(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    result = reliability(scope.tool, scope.node) if scope else None
    return render(request, "fidelity/agreement.html",
                  {"scope": scope, "result": result, "tools": ObservationTool.objects.all(),
                   "nodes": aggregate_places(request.user)[:300]})
