"""Implementation plans: priorities, objectives, action steps and their timeline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.core.services.versioning import StaleEdit
from practicehub.implementation import forms as f
from practicehub.implementation.models import (
    Plan,
)
from practicehub.implementation.services import measured, plans
from practicehub.implementation.services import views_support as scope
from practicehub.implementation.services.access import InvalidInput, manageable_nodes
from practicehub.implementation.views.shared import (
    first_error,
    flash_refusal,
    flash_stale,
    flash_status,
    form_page,
    local_today,
    may_manage,
    refuse,
)


def plan_list(request: AuthedRequest) -> HttpResponse:
    today = local_today()
    found = plans.plans_with_actions(Plan.objects.visible_to(request.user))
    return render(request, "implementation/plan_list.html", {
        "summaries": [plans.summarise(plan, today) for plan in found],
        "can_manage": may_manage(request)})


def plan_create(request: AuthedRequest) -> HttpResponse:
    form = f.PlanForm(request.POST or None, nodes=manageable_nodes(request.user),
                      teams=scope.teams_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.create_plan(request.user, **form.cleaned_data)
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, f"Created {plan}.")
            return redirect("implementation:plan_detail", pk=plan.pk)
    return form_page(request, form, "Start a plan", "implementation:plan_list",
                      400 if form.errors else 200)


def _visible_plan(request: AuthedRequest, pk: int) -> Plan:
    return get_object_or_404(plans.plans_with_actions(Plan.objects.visible_to(request.user)),
                             pk=pk)


def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    can_manage = may_manage(request, plan.node)
    summary = plans.summarise(plan, local_today())
    indicators = measured.measured_objectives(plan, request.user, local_today())
    context = {
        "summary": summary,
        "objective_rows": [(o, indicators.get(o.objective.pk, [])) for o in summary.objectives],
        "priorities": plan.priorities.all(),
        "can_manage": can_manage,
        "priority_form": f.PriorityForm(),
        "objective_form": f.ObjectiveForm(),
        "action_form": f.PlanActionForm(objectives=plan.objectives.all()),
        "status_form": f.ActionStatusForm(),
        "today": local_today(),
    }
    return render(request, "implementation/plan_detail.html", context)


def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.visible_to(request.user).select_related("node"), pk=pk)
    initial = {name: getattr(plan, name) for name in f.PlanEditForm.base_fields}
    form = f.PlanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plans.update_plan(request.user, plan, expected_version=form.expected_version(),
                              **form.edits())
        except StaleEdit as error:
            form.refuse_stale(error)
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, "Plan saved.")
            return redirect("implementation:plan_detail", pk=plan.pk)
    return form_page(request, form, f"Edit {plan.title}", "implementation:plan_list",
                      form.page_status())


def plan_timeline(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    return render(request, "implementation/plan_timeline.html", {
        "plan": plan, "months": plans.timeline(plan, local_today())})


def _post_to_plan(request: AuthedRequest, pk: int, form_class: type[forms.Form], save: Any,
                  done: str, **form_kwargs: Any) -> HttpResponse:
    plan = _visible_plan(request, pk)
    form = form_class(request.POST, **{k: v(plan) for k, v in form_kwargs.items()})
    try:
        if not form.is_valid():
            raise first_error(form)
        save(plan, form.cleaned_data)
    except InvalidInput as error:
        flash_refusal(request, error)
    else:
        messages.success(request, done)
    return redirect("implementation:plan_detail", pk=plan.pk)


@require_POST
def priority_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_to_plan(request, pk, f.PriorityForm,
                         lambda plan, data: plans.add_priority(request.user, plan, **data),
                         "Priority added.")


@require_POST
def objective_add(request: AuthedRequest, pk: int) -> HttpResponse:
    return _post_to_plan(request, pk, f.ObjectiveForm,
                         lambda plan, data: plans.add_objective(request.user, plan, **data),
                         "Objective added.")


@require_POST
def action_add(request: AuthedRequest, pk: int) -> HttpResponse:
    def save(plan: Plan, data: dict[str, Any]) -> None:
        objective = data.pop("objective")
        plans.add_action(request.user, objective, **data)

    return _post_to_plan(request, pk, f.PlanActionForm, save, "Action step added.",
                         objectives=lambda plan: plan.objectives.all())


@require_POST
def action_status(request: AuthedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(scope.plan_actions_in_scope(request.user), pk=pk)
    form = f.ActionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise first_error(form)
        changed = plans.set_action_status(request.user, action, form.cleaned_data["status"],
                                          local_today(), expected_version=form.expected_version())
    except InvalidInput as error:
        flash_refusal(request, error)
    except StaleEdit as error:
        flash_stale(request, error)
    else:
        flash_status(request, str(changed), changed.get_status_display())
    return redirect("implementation:plan_detail", pk=action.objective.plan_id)
