"""Plan steps after they are written: edit, move up or down, close and delete (with a
confirmation page) priorities, objectives and action steps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.core.forms import VersionedForm
from practicehub.core.services.versioning import StaleEdit
from practicehub.implementation import forms_reviews as f
from practicehub.implementation.models import Objective, Plan, PlanAction, Priority
from practicehub.implementation.services import plan_steps
from practicehub.implementation.services import views_support as scope
from practicehub.implementation.services.access import InvalidInput
from practicehub.implementation.views.shared import flash_refusal, refuse

Step = Priority | Objective | PlanAction


def _priorities(request: AuthedRequest) -> QuerySet[Priority]:
    return Priority.objects.filter(plan__in=Plan.objects.visible_to(request.user)).select_related(
        "plan__node")


def _objectives(request: AuthedRequest) -> QuerySet[Objective]:
    return scope.objectives_in_scope(request.user).select_related("plan__node")


def _actions(request: AuthedRequest) -> QuerySet[PlanAction]:
    return scope.plan_actions_in_scope(request.user).select_related("objective__plan__node")


def _plan_href(step: Step) -> str:
    plan_id = step.objective.plan_id if isinstance(step, PlanAction) else step.plan_id
    return reverse("implementation:plan_detail", kwargs={"pk": plan_id})


def _form_page(request: AuthedRequest, form: VersionedForm, heading: str, step: Step,
               save: Any, done: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.expected_version(), form.edits())
        except StaleEdit as error:
            form.refuse_stale(error)
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, done)
            return redirect(_plan_href(step))
    return render(request, "implementation/form.html", {
        "form": form, "heading": heading, "back_href": _plan_href(step)},
        status=form.page_status())


def priority_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(_priorities(request), pk=pk)
    form = f.PriorityEditForm(request.POST or None,
                              initial=f.initial_of(priority, ("dimension", "text")))
    return _form_page(request, form, f"Edit the priority “{str(priority)[:60]}”", priority,
                      lambda version, data: plan_steps.update_priority(
                          request.user, priority, expected_version=version, **data),
                      "Priority saved.")


def objective_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(_objectives(request), pk=pk)
    form = f.ObjectiveEditForm(request.POST or None,
                               initial=f.initial_of(objective, ("text", "priority")),
                               priorities=objective.plan.priorities.all())
    return _form_page(request, form, f"Edit the objective “{str(objective)[:60]}”", objective,
                      lambda version, data: plan_steps.update_objective(
                          request.user, objective, expected_version=version, **data),
                      "Objective saved.")


def objective_close(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(_objectives(request), pk=pk)
    form = f.ObjectiveCloseForm(request.POST or None,
                                initial=f.initial_of(objective, ("closed_on",)))
    return _form_page(request, form, f"Close or reopen the objective “{str(objective)[:60]}”",
                      objective, lambda version, data: plan_steps.close_objective(
                          request.user, objective, data["closed_on"], expected_version=version),
                      "Objective closed." if request.POST.get("closed_on")
                      else "Objective open.")


ACTION_FIELDS = ("text", "responsible", "target_on", "supports_needed", "status", "done_on")


def action_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(_actions(request), pk=pk)
    form = f.PlanActionEditForm(request.POST or None, initial=f.initial_of(action, ACTION_FIELDS))
    return _form_page(request, form, f"Edit the action step “{str(action)[:60]}”", action,
                      lambda version, data: plan_steps.update_action(
                          request.user, action, expected_version=version,
                          responsible_team=action.responsible_team, **data),
                      "Action step saved.")


def _move(request: AuthedRequest, step: Step) -> HttpResponse:
    form = f.MoveForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, InvalidInput("direction", "must be up or down"))
    elif plan_steps.move(request.user, step, form.cleaned_data["direction"]):
        messages.success(request, f"Moved “{str(step)[:60]}” {form.cleaned_data['direction']}.")
    else:
        messages.info(request, f"“{str(step)[:60]}” is already at the "
                               f"{'top' if form.cleaned_data['direction'] == 'up' else 'bottom'}.")
    return redirect(_plan_href(step))


@require_POST
def priority_move(request: AuthedRequest, pk: int) -> HttpResponse:
    return _move(request, get_object_or_404(_priorities(request), pk=pk))


@require_POST
def objective_move(request: AuthedRequest, pk: int) -> HttpResponse:
    return _move(request, get_object_or_404(_objectives(request), pk=pk))


@require_POST
def action_move(request: AuthedRequest, pk: int) -> HttpResponse:
    return _move(request, get_object_or_404(_actions(request), pk=pk))


class _Version(forms.Form):
    edit_version = forms.IntegerField(min_value=1)


def _delete_page(request: AuthedRequest, step: Step, what: str, goes: list[str],
                 delete: Any) -> HttpResponse:
    if request.method == "POST":
        form = _Version(request.POST)
        version = form.cleaned_data["edit_version"] if form.is_valid() else 0
        try:
            delete(version)
        except StaleEdit as error:
            messages.error(request, f"{error.message} Nothing was deleted.")
        else:
            messages.success(request, f"Deleted the {what} “{str(step)[:60]}”.")
        return redirect(_plan_href(step))
    return render(request, "implementation/step_delete.html", {
        "step": step, "what": what, "goes": goes, "back_href": _plan_href(step)})


def priority_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    priority = get_object_or_404(_priorities(request), pk=pk)
    under = priority.objectives.count()
    goes = ([f"{under} objective{'s' if under != 1 else ''} under it stay in the plan, "
             "no longer under a priority."] if under else [])
    return _delete_page(request, priority, "priority", goes,
                        lambda version: plan_steps.delete_priority(
                            request.user, priority, expected_version=version))


def objective_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(_objectives(request), pk=pk)
    goes = [f"Action step “{a.text[:80]}” (target {a.target_on:%Y-%m-%d}, "
            f"{a.get_status_display().lower()})" for a in objective.actions.all()]
    indicators = objective.indicators.count()
    if indicators:
        goes.append(f"{indicators} indicator{'s' if indicators != 1 else ''} with "
                    "their baselines and targets")
    return _delete_page(request, objective, "objective", goes,
                        lambda version: plan_steps.delete_objective(
                            request.user, objective, expected_version=version))


def action_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(_actions(request), pk=pk)
    items = action.meeting_items.count()
    goes = ([f"{items} meeting action item{'s' if items != 1 else ''} linked to it stay, "
             "unlinked."] if items else [])
    return _delete_page(request, action, "action step", goes,
                        lambda version: plan_steps.delete_action(
                            request.user, action, expected_version=version))
