"""Implementation support pages. Views check scope, call a service and render; the permission
map (permissions.py) has already checked capabilities."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.models import OrgNode
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import above_q, has_capability
from practicehub.core.downloads import table_download
from practicehub.core.services.listing import Column, list_page
from practicehub.core.services.versioning import StaleEdit
from practicehub.implementation import forms as f
from practicehub.implementation.models import (
    ActionItem,
    ChecklistRating,
    Driver,
    Lesson,
    Meeting,
    Plan,
    Rating,
    StageRecord,
    SupportActivity,
    Team,
)
from practicehub.implementation.services import exports, plans, stages, support, teams
from practicehub.implementation.services import views_support as scope
from practicehub.implementation.services.access import InvalidInput, manageable_nodes

MANAGE = Capability.IMPLEMENTATION_MANAGE


def _today() -> Any:
    return timezone.localdate()


def _may_manage(request: AuthedRequest, node: OrgNode | None = None) -> bool:
    return has_capability(request.user, MANAGE, node)


def _refuse(form: forms.Form, error: InvalidInput) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _first_error(form: forms.Form) -> InvalidInput:
    field, errors = next(iter(form.errors.items()))
    return InvalidInput(field, " ".join(str(error) for error in errors))


def _flash_refusal(request: AuthedRequest, error: InvalidInput) -> None:
    messages.error(request, f"Nothing was saved. {error.field}: {error.message}")


def _flash_stale(request: AuthedRequest, error: StaleEdit) -> None:
    """A one-field form on a list page: the refusal and both values go in the message."""
    messages.error(request, f"{error.message} {error.summary}")


def _flash_status(request: AuthedRequest, what: str, status: str) -> None:
    """A status form in a list: say what changed, since the page otherwise looks the same."""
    messages.success(request, f"Status updated: “{what}” is now {status}.")


def _form_page(request: AuthedRequest, form: forms.Form, heading: str, back: str,
               status: int = 200) -> HttpResponse:
    return render(request, "implementation/form.html",
                  {"form": form, "heading": heading, "back": back}, status=status)


OVERVIEW_PLANS, OVERVIEW_TEAMS, OVERVIEW_OVERDUE = 50, 10, 20


def index(request: AuthedRequest) -> HttpResponse:
    today = _today()
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
        "can_manage": _may_manage(request),
    }
    return render(request, "implementation/index.html", context)


# Teams and meetings ---------------------------------------------------------------------------

def team_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "implementation/team_list.html", {
        "teams": scope.teams_in_scope(request.user).prefetch_related("members"),
        "can_manage": _may_manage(request)})


def team_create(request: AuthedRequest) -> HttpResponse:
    form = f.TeamForm(request.POST or None, nodes=manageable_nodes(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            team = teams.create_team(request.user, **form.cleaned_data)
        except InvalidInput as error:
            _refuse(form, error)
        else:
            messages.success(request, f"Created {team}.")
            return redirect("implementation:team_detail", pk=team.pk)
    return _form_page(request, form, "Add a team", "implementation:team_list",
                      400 if form.errors else 200)


MEETING_COLUMNS = [Column("date", "Held on", "held_on", descending_first=True),
                   Column("title", "Title", "title")]


def team_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    can_manage = _may_manage(request, team.node)
    context = {
        "team": team,
        "members": team.members.select_related("user", "organisation"),
        "meetings": list_page(request, team.meetings.all(), MEETING_COLUMNS,
                              default_sort="-date"),
        "open_items": teams.open_items(team, _today()),
        "today": _today(),
        "can_manage": can_manage,
        "member_form": f.MemberForm(people=scope.people_in_scope(request.user))
        if can_manage else None,
    }
    return render(request, "implementation/team_detail.html", context)


def team_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    initial = {name: getattr(team, name) for name in f.CharterForm.base_fields}
    form = f.CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            teams.update_charter(request.user, team, expected_version=form.expected_version(),
                                 **form.edits())
        except StaleEdit as error:
            form.refuse_stale(error)
        except InvalidInput as error:
            _refuse(form, error)
        else:
            messages.success(request, "Charter saved.")
            return redirect("implementation:team_detail", pk=team.pk)
    return _form_page(request, form, f"Charter of {team}", "implementation:team_list",
                      form.page_status())


@require_POST
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    form = f.MemberForm(request.POST, people=scope.people_in_scope(request.user))
    if not form.is_valid():
        _flash_refusal(request, _first_error(form))
        return redirect("implementation:team_detail", pk=team.pk)
    try:
        teams.add_member(request.user, team, member=form.cleaned_data["user"],
                         name=form.cleaned_data["name"],
                         organisation=form.cleaned_data["organisation"],
                         role=form.cleaned_data["role"])
    except InvalidInput as error:
        _flash_refusal(request, error)
    else:
        messages.success(request, "Member added.")
    return redirect("implementation:team_detail", pk=team.pk)


def meeting_create(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    form = f.MeetingForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        review = {k: data.pop(k) for k in ("aar_intended", "aar_happened", "aar_why", "aar_next")}
        try:
            meeting = teams.record_meeting(request.user, team, review=review,
                                           attendees=list(data.pop("attendees")), **data)
        except InvalidInput as error:
            _refuse(form, error)
        else:
            messages.success(request, "Meeting recorded.")
            return redirect("implementation:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, f"Record a meeting of {team}", "implementation:team_list",
                      400 if form.errors else 200)


def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related(
        "team__node"), pk=pk)
    can_manage = _may_manage(request, meeting.team.node)
    plan_actions = list(scope.plan_actions_in_scope(request.user)[:200]) if can_manage else []
    context = {
        "meeting": meeting,
        "attendees": meeting.attendees.select_related("user"),
        "decisions": meeting.decisions.all(),
        "items": meeting.action_items.select_related("owner__user", "plan_action"),
        "can_manage": can_manage,
        "decision_form": f.DecisionForm(),
        "item_form": f.ActionItemForm(team=meeting.team, plan_actions=plan_actions),
        "status_form": f.ItemStatusForm(),
    }
    return render(request, "implementation/meeting_detail.html", context)


def meeting_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related(
        "team__node"), pk=pk)
    initial = {name: getattr(meeting, name) for name in f.MeetingEditForm.base_fields}
    form = f.MeetingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            teams.update_meeting(request.user, meeting,
                                 expected_version=form.expected_version(), **form.edits())
        except StaleEdit as error:
            form.refuse_stale(error)
        except InvalidInput as error:
            _refuse(form, error)
        else:
            messages.success(request, "Meeting record saved.")
            return redirect("implementation:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, f"Edit the record of {meeting.title}",
                      "implementation:team_list", form.page_status())


@require_POST
def decision_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    form = f.DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput("text", "write the decision")
        teams.add_decision(request.user, meeting, form.cleaned_data["text"])
    except InvalidInput as error:
        _flash_refusal(request, error)
    else:
        messages.success(request, "Decision recorded.")
    return redirect("implementation:meeting_detail", pk=meeting.pk)


@require_POST
def item_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    form = f.ActionItemForm(request.POST, team=meeting.team,
                            plan_actions=list(scope.plan_actions_in_scope(request.user)))
    try:
        if not form.is_valid():
            raise _first_error(form)
        link = form.cleaned_data["plan_action"]
        teams.add_action_item(
            request.user, meeting, text=form.cleaned_data["text"],
            owner=form.cleaned_data["owner"], due_on=form.cleaned_data["due_on"],
            plan_action=scope.plan_actions_in_scope(request.user).get(pk=link) if link else None)
    except InvalidInput as error:
        _flash_refusal(request, error)
    else:
        messages.success(request, "Action item added.")
    return redirect("implementation:meeting_detail", pk=meeting.pk)


@require_POST
def item_status(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ActionItem.objects.filter(
        meeting__in=Meeting.objects.visible_to(request.user)), pk=pk)
    form = f.ItemStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise _first_error(form)
        changed = teams.set_item_status(request.user, item, form.cleaned_data["status"],
                                        expected_version=form.expected_version())
    except InvalidInput as error:
        _flash_refusal(request, error)
    except StaleEdit as error:
        _flash_stale(request, error)
    else:
        _flash_status(request, str(changed), changed.get_status_display())
    return redirect("implementation:meeting_detail", pk=item.meeting_id)


# Plans ----------------------------------------------------------------------------------------

def plan_list(request: AuthedRequest) -> HttpResponse:
    today = _today()
    found = plans.plans_with_actions(Plan.objects.visible_to(request.user))
    return render(request, "implementation/plan_list.html", {
        "summaries": [plans.summarise(plan, today) for plan in found],
        "can_manage": _may_manage(request)})


def plan_create(request: AuthedRequest) -> HttpResponse:
    form = f.PlanForm(request.POST or None, nodes=manageable_nodes(request.user),
                      teams=scope.teams_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.create_plan(request.user, **form.cleaned_data)
        except InvalidInput as error:
            _refuse(form, error)
        else:
            messages.success(request, f"Created {plan}.")
            return redirect("implementation:plan_detail", pk=plan.pk)
    return _form_page(request, form, "Start a plan", "implementation:plan_list",
                      400 if form.errors else 200)


def _visible_plan(request: AuthedRequest, pk: int) -> Plan:
    return get_object_or_404(plans.plans_with_actions(Plan.objects.visible_to(request.user)),
                             pk=pk)


def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    can_manage = _may_manage(request, plan.node)
    context = {
        "summary": plans.summarise(plan, _today()),
        "priorities": plan.priorities.all(),
        "can_manage": can_manage,
        "priority_form": f.PriorityForm(),
        "objective_form": f.ObjectiveForm(),
        "action_form": f.PlanActionForm(objectives=plan.objectives.all()),
        "status_form": f.ActionStatusForm(),
        "today": _today(),
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
            _refuse(form, error)
        else:
            messages.success(request, "Plan saved.")
            return redirect("implementation:plan_detail", pk=plan.pk)
    return _form_page(request, form, f"Edit {plan.title}", "implementation:plan_list",
                      form.page_status())


def plan_timeline(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _visible_plan(request, pk)
    return render(request, "implementation/plan_timeline.html", {
        "plan": plan, "months": plans.timeline(plan, _today())})


def _post_to_plan(request: AuthedRequest, pk: int, form_class: type[forms.Form], save: Any,
                  done: str, **form_kwargs: Any) -> HttpResponse:
    plan = _visible_plan(request, pk)
    form = form_class(request.POST, **{k: v(plan) for k, v in form_kwargs.items()})
    try:
        if not form.is_valid():
            raise _first_error(form)
        save(plan, form.cleaned_data)
    except InvalidInput as error:
        _flash_refusal(request, error)
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
            raise _first_error(form)
        changed = plans.set_action_status(request.user, action, form.cleaned_data["status"],
                                          _today(), expected_version=form.expected_version())
    except InvalidInput as error:
        _flash_refusal(request, error)
    except StaleEdit as error:
        _flash_stale(request, error)
    else:
        _flash_status(request, str(changed), changed.get_status_display())
    return redirect("implementation:plan_detail", pk=action.objective.plan_id)


# Stages ---------------------------------------------------------------------------------------

def stage_list(request: AuthedRequest) -> HttpResponse:
    version = scope.current_model()
    rows = [] if version is None else stages.compare_sites(
        StageRecord.objects.visible_to(request.user),
        ChecklistRating.objects.visible_to(request.user), version, _today())
    sites = manageable_nodes(request.user) if _may_manage(request) else []
    return render(request, "implementation/stage_list.html",
                  {"rows": rows, "version": version, "sites": sites})


def stage_site(request: AuthedRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(OrgNode.objects.filter(
        Q(pk__in=OrgNode.objects.visible_to(request.user)) | above_q(request.user, "")), pk=pk)
    version = scope.current_model()
    if version is None:
        raise Http404("No practice model is loaded.")
    records = list(StageRecord.objects.filter(node=node, model_version=version))
    ratings = {r.activity: r for r in ChecklistRating.objects.filter(node=node,
                                                                     model_version=version)}
    checklists = stages.shipped_checklists()
    context = {
        "node": node, "version": version, "records": records,
        "measures": stages.stage_measures(records, list(ratings.values()), _today()),
        "checklist": [(stage, [(a, ratings.get(a.code)) for a in activities])
                      for stage, activities in checklists.activities.items()],
        "can_manage": _may_manage(request, node),
        "stage_form": f.StageForm(initial={"model_version": version}),
        "ratings": Rating.choices,
    }
    return render(request, "implementation/stage_site.html", context)


def _stage_post(request: AuthedRequest, pk: int, form_class: type[forms.Form], save: Any
                ) -> HttpResponse:
    node = get_object_or_404(OrgNode.objects.visible_to(request.user), pk=pk)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise _first_error(form)
        save(node, form.cleaned_data)
    except InvalidInput as error:
        _flash_refusal(request, error)
    else:
        messages.success(request, "Saved.")
    return redirect("implementation:stage_site", pk=node.pk)


@require_POST
def stage_record(request: AuthedRequest, pk: int) -> HttpResponse:
    return _stage_post(request, pk, f.StageForm, lambda node, data: stages.record_stage(
        request.user, node=node, **data))


@require_POST
def stage_rate(request: AuthedRequest, pk: int) -> HttpResponse:
    return _stage_post(request, pk, f.RatingForm, lambda node, data: stages.rate_activity(
        request.user, node=node, **data))


# Support log and peer learning ----------------------------------------------------------------

SUPPORT_COLUMNS = [
    Column("date", "Date", "occurred_on", descending_first=True),
    Column("kind", "Kind", "kind"),
    Column("site", "Site", "node__name"),
    Column("mode", "Mode", "mode"),
    Column("minutes", "Minutes", "duration_minutes", descending_first=True),
    Column("providers", "Providers"),
    Column("summary", "Summary"),
]


def support_list(request: AuthedRequest) -> HttpResponse:
    activities = SupportActivity.objects.visible_to(request.user)
    filters = f.SupportFilters(request.GET, visible=activities)
    listing = list_page(request, activities.select_related("node").prefetch_related("providers"),
                        SUPPORT_COLUMNS, default_sort="-date", filters=filters)
    return render(request, "implementation/support_list.html", {
        "listing": listing, "filters": filters,
        "total_hours": support.total_minutes(activities) / 60,
        "charts": scope.dosage_charts(activities),
        "can_manage": _may_manage(request)}, status=400 if listing.refused else 200)


def support_create(request: AuthedRequest) -> HttpResponse:
    form = f.SupportActivityForm(
        request.POST or None, nodes=manageable_nodes(request.user),
        people=scope.people_in_scope(request.user), teams=scope.teams_in_scope(request.user),
        objectives=scope.objectives_in_scope(request.user), version=scope.current_model())
    if request.method == "POST" and form.is_valid():
        many = {"providers", "recipient_teams", "practices", "capacity_areas", "objectives"}
        data: dict[str, Any] = {k: list(v) if k in many else v
                                for k, v in form.cleaned_data.items()}
        try:
            support.log_activity(request.user, support.ActivityInput(**data))
        except InvalidInput as error:
            _refuse(form, error)
        else:
            messages.success(request, "Support activity logged.")
            return redirect("implementation:support_list")
    return _form_page(request, form, "Log a support activity", "implementation:support_list",
                      400 if form.errors else 200)


LESSON_COLUMNS = [Column("date", "Shared on", "created_on", descending_first=True),
                  Column("title", "Title", "title")]


def lesson_list(request: AuthedRequest) -> HttpResponse:
    query = {k: request.GET.get(k, "").strip() for k in ("q", "practice", "area", "driver")}
    found = support.search_lessons(
        Lesson.objects.visible_to(request.user).select_related("node"), text=query["q"],
        practice=query["practice"], capacity_area=query["area"], driver=query["driver"])
    version = scope.current_model()
    listing = list_page(request, found.prefetch_related("practices", "capacity_areas"),
                        LESSON_COLUMNS, default_sort="-date")
    if any(query.values()):
        listing.filtered = True
        listing.total = Lesson.objects.visible_to(request.user).count()
    return render(request, "implementation/lesson_list.html", {
        "listing": listing, "query": query,
        "practices": version.practice_set.all() if version else [],
        "areas": version.capacityarea_set.all() if version else [],
        "drivers": Driver.choices,
        "can_manage": _may_manage(request)})


def lesson_create(request: AuthedRequest) -> HttpResponse:
    form = f.LessonForm(request.POST or None, nodes=manageable_nodes(request.user),
                        version=scope.current_model())
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = {k: list(v) if k in {"practices", "capacity_areas"} else v
                for k, v in form.cleaned_data.items()}
        try:
            support.add_lesson(request.user, created_on=_today(), **data)
        except InvalidInput as error:
            _refuse(form, error)
        else:
            messages.success(request, "Shared.")
            return redirect("implementation:lesson_list")
    return _form_page(request, form, "Share a lesson or resource", "implementation:lesson_list",
                      400 if form.errors else 200)


def export(request: AuthedRequest, key: str) -> HttpResponse:
    if key not in exports.TABLES:
        raise Http404("No such list.")
    table = exports.TABLES[key](request.user, _today())
    return table_download(table, request.GET.get("format", "csv"), "implementation")
