"""Coaching: a worker's page, coaching plans, their goals and sessions."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.core.services.versioning import StaleEdit
from practicehub.fidelity.forms import (
    GoalForm,
    GoalMetForm,
    PlanCloseForm,
    PlanStartForm,
    SessionForm,
)
from practicehub.fidelity.models import CoachingPlan, Goal, Observation, ObservationTool
from practicehub.fidelity.services import coaching, crosswalked, dashboards
from practicehub.fidelity.services.access import may_coach, observable_workers, sees_people_at
from practicehub.fidelity.services.errors import FidelityError
from practicehub.practice_model.models import Behavior


def _person_in_reach(request: AuthedRequest, pk: int) -> tuple[User, OrgNode]:
    person = get_object_or_404(User, pk=pk)
    try:
        node = coaching.home_node(person)
    except FidelityError:
        raise Http404 from None
    if person.pk != request.user.pk and not sees_people_at(request.user, node):
        raise Http404
    return person, node


def worker(request: AuthedRequest, pk: int) -> HttpResponse:
    person, node = _person_in_reach(request, pk)
    received = (Observation.objects.filter(worker=person).visible_to(request.user)
                .select_related("tool", "observer"))
    statuses = []
    for tool in ObservationTool.objects.filter(observations__worker=person).distinct():
        scope = dashboards.Scope(tool=tool, node=node, sees_people=True)
        mine = [s for s in dashboards.worker_statuses(scope) if s.worker_id == person.pk]
        statuses.append((tool, mine[0] if mine else None))
    context = {"person": person, "node": node, "observations": received,
               "statuses": statuses,
               "plans": CoachingPlan.objects.visible_to(request.user).filter(person=person)
               .select_related("coach"),
               "may_coach": may_coach(request.user, person.pk, node),
               "tools": ObservationTool.objects.all(), **_terms(request, person)}
    return render(request, "fidelity/worker.html", context)


def _terms(request: AuthedRequest, person: User) -> dict[str, object]:
    """The person's ratings in another model's terms (``?terms=cpm``), for the include."""
    return {"terms": crosswalked.terms_view(person, request.user,
                                            request.GET.get(crosswalked.PARAM)),
            "terms_param": crosswalked.PARAM}


def plans(request: AuthedRequest) -> HttpResponse:
    visible = list(CoachingPlan.objects.visible_to(request.user)
                   .select_related("person", "coach", "node"))
    return render(request, "fidelity/plans.html", {
        "rows": coaching.cascade(visible),
        "may_coach": has_capability(request.user, Capability.FIDELITY_OBSERVE)})


def plan_new(request: AuthedRequest) -> HttpResponse:
    """Start a coaching plan from the coaching page or a coaching priority of the dashboard."""
    user = request.user
    form = PlanStartForm(request.POST or None, initial=request.GET.dict(),
                         people=observable_workers(user), behaviors=Behavior.objects.filter(
                             tools__isnull=False).distinct().order_by("order"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = coaching.start_plan(data["person"], user, data["tool"],
                                       timezone.localdate(), focus=data["behavior"])
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Coaching plan for {plan.person} started.")
            return redirect("fidelity:plan", pk=plan.pk)
    return render(request, "fidelity/plan_new.html", {"form": form},
                  status=400 if form.errors else 200)


@require_POST
def plan_start(request: AuthedRequest, pk: int) -> HttpResponse:
    person, _ = _person_in_reach(request, pk)
    wanted = request.POST.get("tool", "")
    tool = ObservationTool.objects.filter(pk=wanted).first() if wanted.isdigit() else None
    try:
        plan = coaching.start_plan(person, request.user, tool, timezone.localdate())
    except FidelityError as error:
        messages.error(request, str(error))
        return redirect("fidelity:worker", pk=pk)
    messages.success(request, f"Coaching plan for {plan.person} started.")
    return redirect("fidelity:plan", pk=plan.pk)


def _plan(request: AuthedRequest, pk: int) -> CoachingPlan:
    return get_object_or_404(CoachingPlan.objects.visible_to(request.user)
                             .select_related("person", "coach", "node", "tool"), pk=pk)


def _plan_page(request: AuthedRequest, plan: CoachingPlan, goal_form: GoalForm,
               session_form: SessionForm, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    goals = list(plan.goals.select_related("behavior"))
    context = {"plan": plan, "focus": coaching.focus_rows(plan),
               "goals": [(goal, GoalMetForm(initial={"edit_version": goal.edit_version,
                                                    "achieved_on": goal.achieved_on or today},
                                           auto_id=f"goal{goal.pk}_%s")) for goal in goals],
               "sessions": plan.sessions.select_related("recorded_by"),
               "progress": coaching.progress(plan), "goal_form": goal_form,
               "session_form": session_form,
               "close_form": PlanCloseForm(initial={"edit_version": plan.edit_version,
                                                    "closed_on": plan.closed_on or today}),
               "may_coach": may_coach(request.user, plan.person_id, plan.node),
               **_terms(request, plan.person)}
    return render(request, "fidelity/plan.html", context, status=status)


def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return _plan_page(request, plan, GoalForm(behaviors=plan.focus_behaviors.all()),
                      SessionForm(initial={"held_on": timezone.localdate()}))


def _coachable_plan(request: AuthedRequest, pk: int) -> CoachingPlan:
    plan = _plan(request, pk)
    if not may_coach(request.user, plan.person_id, plan.node):
        raise Http404
    return plan


def _closed_refusal(request: AuthedRequest, plan: CoachingPlan) -> HttpResponse | None:
    """A closed plan draws no goal or session form, so a late post is refused in a message."""
    try:
        coaching.refuse_if_closed(plan)
    except FidelityError as error:
        messages.error(request, str(error))
        return redirect("fidelity:plan", pk=plan.pk)
    return None


@require_POST
def goal_add(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _coachable_plan(request, pk)
    if refused := _closed_refusal(request, plan):
        return refused
    form = GoalForm(request.POST, behaviors=plan.focus_behaviors.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            coaching.add_goal(plan, data["text"], data["behavior"], data["target_on"])
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Goal added.")
            return redirect("fidelity:plan", pk=pk)
    return _plan_page(request, plan, form, SessionForm(), status=400)


@require_POST
def session_add(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _coachable_plan(request, pk)
    if refused := _closed_refusal(request, plan):
        return refused
    form = SessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            coaching.add_session(plan, request.user, data["held_on"], data["notes"],
                                 data["follow_ups"])
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Coaching session recorded.")
            return redirect("fidelity:plan", pk=pk)
    return _plan_page(request, plan, GoalForm(behaviors=plan.focus_behaviors.all()), form,
                      status=400)


def _one_field_refusal(request: AuthedRequest, form: PlanCloseForm | GoalMetForm) -> None:
    """A one-field form on the plan page: its refusal goes in a message above the page."""
    for errors in form.errors.values():
        messages.error(request, " ".join(str(error) for error in errors))
        return


@require_POST
def plan_close(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _coachable_plan(request, pk)
    form = PlanCloseForm(request.POST)
    if not form.is_valid():
        _one_field_refusal(request, form)
        return redirect("fidelity:plan", pk=pk)
    try:
        coaching.close_plan(plan, form.cleaned_data["closed_on"], form.expected_version())
    except FidelityError as error:
        messages.error(request, str(error))
    except StaleEdit as error:
        messages.error(request, f"{error.message} {error.summary}")
    else:
        messages.success(request, f"Coaching plan closed on {plan.closed_on:%Y-%m-%d}.")
    return redirect("fidelity:plan", pk=pk)


@require_POST
def goal_met(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.filter(
        plan__in=CoachingPlan.objects.visible_to(request.user)), pk=pk)
    plan = _coachable_plan(request, goal.plan_id)
    form = GoalMetForm(request.POST)
    if not form.is_valid():
        _one_field_refusal(request, form)
        return redirect("fidelity:plan", pk=plan.pk)
    try:
        coaching.achieve_goal(goal, form.cleaned_data["achieved_on"], form.expected_version())
    except FidelityError as error:
        messages.error(request, str(error))
    except StaleEdit as error:
        messages.error(request, f"{error.message} {error.summary}")
    else:
        messages.success(request, f"Goal marked met on {goal.achieved_on:%Y-%m-%d}.")
    return redirect("fidelity:plan", pk=plan.pk)
