"""The implementation overview (plans, teams, what is overdue, support hours) and the list
downloads."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from practicehub.accounts.http import AuthedRequest
from practicehub.core.downloads import table_download
from practicehub.implementation.models import (
    Plan,
    SupportActivity,
)
from practicehub.implementation.services import exports, plans, support
from practicehub.implementation.services import views_support as scope
from practicehub.implementation.views.shared import (
    local_today,
    may_manage,
)

OVERVIEW_PLANS, OVERVIEW_TEAMS, OVERVIEW_OVERDUE = 50, 10, 20


def index(request: AuthedRequest) -> HttpResponse:
    today = local_today()
    visible_plans = plans.plans_with_actions(Plan.objects.visible_to(request.user))
    # An overview: the first few of each, saying how many there are and where the rest are.
    summaries = [plans.summarise(plan, today) for plan in visible_plans[:OVERVIEW_PLANS]]
    overdue = [a for s in summaries for a in s.overdue]
    in_scope = scope.teams_in_scope(request.user)
    context = {
        "teams": in_scope[:OVERVIEW_TEAMS], "teams_total": in_scope.count(),
        "summaries": summaries, "plans_total": visible_plans.count(),
        "overdue": overdue[:OVERVIEW_OVERDUE], "overdue_total": len(overdue),
        "support_hours": support.total_minutes(SupportActivity.objects.visible_to(
            request.user)) / 60,
        "can_manage": may_manage(request),
    }
    return render(request, "implementation/index.html", context)


def export(request: AuthedRequest, key: str) -> HttpResponse:
    if key not in exports.TABLES:
        raise Http404("No such list.")
    table = exports.TABLES[key](request.user, local_today())
    return table_download(table, request.GET.get("format", "csv"), "implementation")
