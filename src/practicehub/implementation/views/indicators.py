"""Measured objectives: add, edit and delete an objective's indicators."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from practicehub.accounts.http import AuthedRequest
from practicehub.core.services.versioning import StaleEdit
from practicehub.implementation import forms as f
from practicehub.implementation.models import Indicator, Objective
from practicehub.implementation.services import indicator_edits, indicators
from practicehub.implementation.services import views_support as scope
from practicehub.implementation.services.access import InvalidInput
from practicehub.implementation.views.shared import refuse


def _indicators_in_scope(request: AuthedRequest) -> QuerySet[Indicator]:
    return Indicator.objects.filter(
        objective__in=scope.objectives_in_scope(request.user)).select_related(
        "objective__plan__node", "tool", "model_version", "instrument")


def _page(request: AuthedRequest, form: f.IndicatorForm, heading: str, objective: Objective,
          status: int) -> HttpResponse:
    return render(request, "implementation/indicator_form.html", {
        "form": form, "heading": heading, "objective": objective, "plan": objective.plan},
        status=status)


def indicator_create(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(scope.objectives_in_scope(request.user), pk=pk)
    form = f.IndicatorForm(request.POST or None, node=objective.plan.node)
    if request.method == "POST" and form.is_valid():
        try:
            indicator_edits.add_indicator(request.user, objective,
                                     fill_baseline=form.cleaned_data["fill_baseline"],
                                     **form.values())
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, "Indicator added.")
            return redirect("implementation:plan_detail", pk=objective.plan_id)
    return _page(request, form, f"Add an indicator to “{objective.text[:60]}”", objective,
                 400 if form.errors else 200)


def indicator_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(_indicators_in_scope(request), pk=pk)
    form = f.IndicatorEditForm(request.POST or None, initial=f.indicator_initial(indicator),
                               node=indicator.node)
    if request.method == "POST" and form.is_valid():
        try:
            indicator_edits.update_indicator(request.user, indicator,
                                        expected_version=form.expected_version(),
                                        fill_baseline=form.cleaned_data["fill_baseline"],
                                        **form.values())
        except StaleEdit as error:
            form.refuse_stale(error)
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, "Indicator saved.")
            return redirect("implementation:plan_detail", pk=indicator.objective.plan_id)
    return _page(request, form, f"Edit the indicator of “{indicator.objective.text[:60]}”",
                 indicator.objective, form.page_status())


def indicator_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(_indicators_in_scope(request), pk=pk)
    plan_id = indicator.objective.plan_id
    if request.method == "POST":
        try:
            version = int(request.POST.get("edit_version", ""))
        except ValueError:
            version = 0
        try:
            indicator_edits.delete_indicator(request.user, indicator, expected_version=version)
        except StaleEdit as error:
            messages.error(request, f"{error.message} Nothing was deleted.")
        else:
            messages.success(request, f"Deleted the indicator “{indicators.describe(indicator)}”.")
        return redirect("implementation:plan_detail", pk=plan_id)
    return render(request, "implementation/indicator_delete.html", {
        "indicator": indicator, "description": indicators.describe(indicator),
        "plan": indicator.objective.plan})
