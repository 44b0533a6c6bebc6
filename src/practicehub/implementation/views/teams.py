"""Implementation teams, their members and meetings (decisions, action items)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.core.services.listing import Column, list_page
from practicehub.core.services.versioning import StaleEdit
from practicehub.implementation import forms as f
from practicehub.implementation.models import (
    ActionItem,
    Meeting,
    Team,
)
from practicehub.implementation.services import teams
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


def team_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "implementation/team_list.html", {
        "teams": scope.teams_in_scope(request.user).prefetch_related("members"),
        "can_manage": may_manage(request)})


def team_create(request: AuthedRequest) -> HttpResponse:
    form = f.TeamForm(request.POST or None, nodes=manageable_nodes(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            team = teams.create_team(request.user, **form.cleaned_data)
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, f"Created {team}.")
            return redirect("implementation:team_detail", pk=team.pk)
    return form_page(request, form, "Add a team", "implementation:team_list",
                      400 if form.errors else 200)


MEETING_COLUMNS = [Column("date", "Held on", "held_on", descending_first=True),
                   Column("title", "Title", "title")]


def team_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    can_manage = may_manage(request, team.node)
    context = {
        "team": team,
        "members": team.members.select_related("user", "organisation"),
        "meetings": list_page(request, team.meetings.all(), MEETING_COLUMNS,
                              default_sort="-date"),
        "open_items": teams.open_items(team, local_today()),
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
            refuse(form, error)
        else:
            messages.success(request, "Charter saved.")
            return redirect("implementation:team_detail", pk=team.pk)
    return form_page(request, form, f"Charter of {team}", "implementation:team_list",
                      form.page_status())


@require_POST
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    form = f.MemberForm(request.POST, people=scope.people_in_scope(request.user))
    if not form.is_valid():
        flash_refusal(request, first_error(form))
        return redirect("implementation:team_detail", pk=team.pk)
    try:
        teams.add_member(request.user, team, member=form.cleaned_data["user"],
                         name=form.cleaned_data["name"],
                         organisation=form.cleaned_data["organisation"],
                         role=form.cleaned_data["role"])
    except InvalidInput as error:
        flash_refusal(request, error)
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
            refuse(form, error)
        else:
            messages.success(request, "Meeting recorded.")
            return redirect("implementation:meeting_detail", pk=meeting.pk)
    return form_page(request, form, f"Record a meeting of {team}", "implementation:team_list",
                      400 if form.errors else 200)


def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related(
        "team__node"), pk=pk)
    can_manage = may_manage(request, meeting.team.node)
    plan_actions = list(scope.plan_actions_in_scope(request.user)[:200]) if can_manage else []
    context = {
        "meeting": meeting,
        "attendees": meeting.attendees.select_related("user"),
        "decisions": meeting.decisions.all(),
        "items": [(item, teams.item_overdue(item, local_today())) for item in
                  meeting.action_items.select_related("owner__user", "plan_action")],
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
            refuse(form, error)
        else:
            messages.success(request, "Meeting record saved.")
            return redirect("implementation:meeting_detail", pk=meeting.pk)
    return form_page(request, form, f"Edit the record of {meeting.title}",
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
        flash_refusal(request, error)
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
            raise first_error(form)
        link = form.cleaned_data["plan_action"]
        teams.add_action_item(
            request.user, meeting, text=form.cleaned_data["text"],
            owner=form.cleaned_data["owner"], due_on=form.cleaned_data["due_on"],
            plan_action=scope.plan_actions_in_scope(request.user).get(pk=link) if link else None)
    except InvalidInput as error:
        flash_refusal(request, error)
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
            raise first_error(form)
        changed = teams.set_item_status(request.user, item, form.cleaned_data["status"],
                                        expected_version=form.expected_version())
    except InvalidInput as error:
        flash_refusal(request, error)
    except StaleEdit as error:
        flash_stale(request, error)
    else:
        flash_status(request, str(changed), changed.get_status_display())
    return redirect("implementation:meeting_detail", pk=item.meeting_id)
