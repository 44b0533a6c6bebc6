"""Fidelity pages. Views look records up through ``visible_to`` (404 outside scope), call a
service and render; the permission map has already checked capabilities."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.models import NodeKind, OrgNode, User
from practicehub.accounts.roles import Capability, Role
from practicehub.accounts.scoping import has_capability, path_filter, scope_paths
from practicehub.core.downloads import table_download
from practicehub.core.services.jobs import runs_in_background
from practicehub.core.services.listing import Column, list_page
from practicehub.core.services.tables import Table
from practicehub.core.services.versioning import StaleEdit
from practicehub.core.uploads import upload_limits
from practicehub.fidelity import charts
from practicehub.fidelity.forms import (
    AmendForm,
    DraftForm,
    GoalForm,
    GoalMetForm,
    ImportForm,
    ObservationFilters,
    PlanCloseForm,
    PlanStartForm,
    SessionForm,
    StartForm,
    SubmitForm,
    ToolForm,
)
from practicehub.fidelity.jobs import queue_observation_import
from practicehub.fidelity.models import CoachingPlan, Goal, Observation, ObservationTool, Rating
from practicehub.fidelity.services import coaching, dashboards
from practicehub.fidelity.services.access import aggregate_paths, sees_people_at
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.exports import observations_table
from practicehub.fidelity.services.importing import (
    ImportRefused,
    import_observations,
    template_header,
)
from practicehub.fidelity.services.observations import (
    NewObservation,
    ToolSpec,
    amend,
    create_tool,
    may_amend,
    may_edit_draft,
    save_draft,
    start_observation,
    submit,
)
from practicehub.fidelity.services.reliability import reliability
from practicehub.practice_model.models import Behavior

PLACES = {"unit": NodeKind.UNIT, "office": NodeKind.OFFICE, "county": NodeKind.COUNTY,
          "region": NodeKind.REGION, "state": NodeKind.STATE}


def _user(request: AuthedRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _choice(request: AuthedRequest, name: str, allowed: list[str], default: str) -> str:
    value = request.GET.get(name, default)
    return value if value in allowed else default


def _hide_records(request: AuthedRequest) -> bool:
    return not has_capability(request.user, Capability.FIDELITY_RECORDS)


def _scope_nodes(user: User) -> QuerySet[OrgNode]:
    return (OrgNode.objects.filter(path_filter(aggregate_paths(user)))
            .filter(kind__in=list(PLACES.values())))


def _tool(request: AuthedRequest) -> ObservationTool | None:
    tools = ObservationTool.objects.all()
    wanted = request.GET.get("tool", "")
    found = tools.filter(pk=wanted).first() if wanted.isdigit() else None
    return found or tools.first()


def _scope(request: AuthedRequest) -> dashboards.Scope | None:
    user, tool = _user(request), _tool(request)
    nodes = _scope_nodes(user)
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
                               "hide_records": _hide_records(request),
                               "nodes": _scope_nodes(_user(request))[:300], "scope": scope}
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
        "quarters": dashboards.by_period(scope, "quarter"),
        "months": dashboards.run_rows(months, run), "run": run,
        "place_chart": charts.render_svg(charts.share_bars(
            f"Share proficient by {level}", places)),
        "run_chart": charts.render_svg(charts.run_chart_spec(
            "Share proficient by month", months, run)) if dashboards.charted(months) else "",
    })
    return render(request, "fidelity/dashboard.html", context)


OBSERVATION_COLUMNS = [
    Column("date", "Date", "observed_on", descending_first=True),
    Column("worker", "Worker", "worker__last_name,worker__first_name"),
    Column("observer", "Observer", "observer__last_name,observer__first_name"),
    Column("tool", "Tool", "tool__name"),
    Column("status", "Status", "status"),
    Column("meets", "Meets fidelity", "meets_fidelity"),
]


def observations(request: AuthedRequest) -> HttpResponse:
    visible = Observation.objects.visible_to(request.user)
    filters = ObservationFilters(request.GET, observations=visible)
    listing = list_page(request, visible.select_related("worker", "observer", "tool", "node"),
                        OBSERVATION_COLUMNS, default_sort="-date", filters=filters)
    may_observe = has_capability(request.user, Capability.FIDELITY_OBSERVE)
    return render(request, "fidelity/observations.html",
                  {"listing": listing, "filters": filters, "may_observe": may_observe,
                   "may_export": has_capability(request.user, Capability.FIDELITY_PEOPLE)},
                  status=400 if listing.refused else 200)


def _workers_for(user: User) -> QuerySet[User]:
    paths = scope_paths(user, Capability.FIDELITY_OBSERVE)
    inside = path_filter(paths, field="role_assignments__node__path")
    return (User.objects.filter(inside, role_assignments__role=Role.PRACTITIONER)
            .distinct().order_by("last_name", "first_name"))


def observation_start(request: AuthedRequest) -> HttpResponse:
    user = _user(request)
    firsts = (Observation.objects.visible_to(user)
              .filter(paired_with__isnull=True).exclude(observer=user)
              .select_related("worker")[:100])
    form = StartForm(request.POST or None, workers=_workers_for(user),
                     firsts=Observation.objects.filter(pk__in=[o.pk for o in firsts]),
                     initial={"observed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation = start_observation(NewObservation(
                tool=data["tool"], worker=data["worker"], observer=user,
                observed_on=data["observed_on"], setting=data["setting"],
                observer_kind=data["observer_kind"], paired_with=data["paired_with"]), user)
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            return redirect("fidelity:observation_edit", pk=observation.pk)
    status = 400 if form.errors else 200
    return render(request, "fidelity/observation_start.html", {"form": form}, status=status)


def _observation(request: AuthedRequest, pk: int) -> Observation:
    return get_object_or_404(
        Observation.objects.visible_to(request.user).select_related(
            "tool", "worker", "observer", "node", "paired_with"), pk=pk)


def _shown_ratings(observation: Observation) -> list[tuple[Rating, str]]:
    """Each rating with its scale point as the page reads it ("3 Expected"), or its mark."""
    scale = observation.tool.scale_def
    return [(r, scale.shown(r.score) if r.score is not None else r.get_mark_display())
            for r in observation.ratings.select_related("behavior")]


def observation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk)
    context = {"observation": observation, "ratings": _shown_ratings(observation),
               "amendments": observation.amendments.select_related("amended_by"),
               "may_edit": may_edit_draft(_user(request), observation),
               "may_amend": may_amend(_user(request), observation)}
    return render(request, "fidelity/observation.html", context)


def observation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk)
    if observation.is_submitted:
        messages.info(request, "This observation is submitted; amend it with a reason.")
        return redirect("fidelity:observation", pk=pk)
    if not may_edit_draft(_user(request), observation):
        raise PermissionDenied("Only the observer edits a draft.")
    form = DraftForm(request.POST or None, observation=observation,
                     initial={"notes": observation.notes,
                              "edit_version": observation.edit_version})
    if request.method == "POST" and form.is_valid():
        try:
            save_draft(observation, _user(request), form.entries(), form.cleaned_data["notes"],
                       expected_version=form.expected_version())
            if "submit" in request.POST:
                # Submitting locks the record for good: the next page asks to confirm.
                return redirect("fidelity:observation_submit", pk=pk)
        except StaleEdit as error:
            form.refuse_stale(error)
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Draft saved.")
            return redirect("fidelity:observation_edit", pk=pk)
    return render(request, "fidelity/observation_edit.html",
                  {"observation": observation, "form": form}, status=form.page_status())


def observation_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The confirm step before a draft is locked: the ratings as they will be kept."""
    observation = _observation(request, pk)
    if observation.is_submitted:
        messages.info(request, "This observation is already submitted.")
        return redirect("fidelity:observation", pk=pk)
    if not may_edit_draft(_user(request), observation):
        raise PermissionDenied("Only the observer submits a draft.")
    form = SubmitForm(request.POST or None, initial={"edit_version": observation.edit_version})
    if request.method == "POST" and form.is_valid():
        try:
            submit(observation, _user(request), expected_version=form.expected_version())
        except StaleEdit as error:
            form.refuse_stale(error)
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Observation submitted and locked.")
            return redirect("fidelity:observation", pk=pk)
    return render(request, "fidelity/observation_submit.html",
                  {"observation": observation, "form": form,
                   "ratings": _shown_ratings(observation)},
                  status=form.page_status())


def observation_amend(request: AuthedRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk)
    if not may_amend(_user(request), observation):
        raise Http404
    form = AmendForm(request.POST or None, observation=observation,
                     initial={"edit_version": observation.edit_version})
    if request.method == "POST" and form.is_valid():
        try:
            amend(observation, _user(request), form.entries(), form.cleaned_data["reason"],
                  expected_version=form.expected_version())
        except StaleEdit as error:
            form.refuse_stale(error)
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Amendment recorded.")
            return redirect("fidelity:observation", pk=pk)
    return render(request, "fidelity/observation_amend.html",
                  {"observation": observation, "form": form}, status=form.page_status())


def observation_import(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload, tool = form.cleaned_data["file"], form.cleaned_data["tool"]
        redcap = form.cleaned_data["file_format"] == "redcap"
        try:
            text = upload.read().decode("utf-8-sig")
            if runs_in_background(text):
                job = queue_observation_import(_user(request), text, tool, redcap=redcap,
                                               file_name=upload.name)
                return redirect("core:job", pk=job.pk)
            stored = import_observations(text, tool, _user(request), redcap=redcap)
        except UnicodeDecodeError:
            form.add_error("file", "The file is not UTF-8 text.")
        except ImportRefused as refused:
            problems = refused.problems
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Imported {len(stored)} observations.")
            return redirect("fidelity:observations")
    status = 400 if form.errors else 200
    return render(request, "fidelity/observation_import.html",
                  {"form": form, "problems": problems, "tools": ObservationTool.objects.all(),
                   **upload_limits()}, status=status)


def observation_template(request: AuthedRequest, pk: int) -> HttpResponse:
    """An empty import file for a tool: the header row the import expects."""
    tool = get_object_or_404(ObservationTool, pk=pk)
    redcap = request.GET.get("format") == "redcap"
    name = f"{slugify(tool.name)}-{'redcap' if redcap else 'observations'}-template"
    header = template_header(tool, redcap=redcap)
    return table_download(Table(key=name, title=tool.name, headers=header, rows=[]), "csv",
                          "fidelity")


def observation_export(request: AuthedRequest) -> HttpResponse:
    """The submitted observations of the list, with the list's filters."""
    visible = Observation.objects.visible_to(request.user)
    filters = ObservationFilters(request.GET, observations=visible)
    if not filters.is_valid():
        return HttpResponse(f"The filters are not valid: {filters.errors.as_text()}",
                            status=400, content_type="text/plain; charset=utf-8")
    return table_download(observations_table(request.user, filters.apply(visible)), "csv",
                          "fidelity")


def agreement(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    result = reliability(scope.tool, scope.node) if scope else None
    return render(request, "fidelity/agreement.html",
                  {"scope": scope, "result": result, "tools": ObservationTool.objects.all(),
                   "nodes": _scope_nodes(_user(request))[:300]})


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
               "may_coach": has_capability(request.user, Capability.FIDELITY_OBSERVE, node)
               and person.pk != request.user.pk,
               "tools": ObservationTool.objects.all()}
    return render(request, "fidelity/worker.html", context)


def plans(request: AuthedRequest) -> HttpResponse:
    visible = list(CoachingPlan.objects.visible_to(request.user)
                   .select_related("person", "coach", "node"))
    return render(request, "fidelity/plans.html", {
        "rows": coaching.cascade(visible),
        "may_coach": has_capability(request.user, Capability.FIDELITY_OBSERVE)})


def plan_new(request: AuthedRequest) -> HttpResponse:
    """Start a coaching plan from the coaching page or a coaching priority of the dashboard."""
    user = _user(request)
    form = PlanStartForm(request.POST or None, initial=request.GET.dict(),
                         people=_workers_for(user), behaviors=Behavior.objects.filter(
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
        plan = coaching.start_plan(person, _user(request), tool, timezone.localdate())
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
               "may_coach": has_capability(request.user, Capability.FIDELITY_OBSERVE, plan.node)
               and request.user.pk != plan.person_id}
    return render(request, "fidelity/plan.html", context, status=status)


def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return _plan_page(request, plan, GoalForm(behaviors=plan.focus_behaviors.all()),
                      SessionForm(initial={"held_on": timezone.localdate()}))


def _coachable_plan(request: AuthedRequest, pk: int) -> CoachingPlan:
    plan = _plan(request, pk)
    if request.user.pk == plan.person_id or not has_capability(
            request.user, Capability.FIDELITY_OBSERVE, plan.node):
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
            coaching.add_session(plan, _user(request), data["held_on"], data["notes"],
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


def tools(request: AuthedRequest) -> HttpResponse:
    listed = ObservationTool.objects.select_related("version").prefetch_related("behaviors")
    return render(request, "fidelity/tools.html", {
        "tools": listed,
        "may_configure": has_capability(request.user, Capability.FIDELITY_CONFIGURE),
        "hide_records": _hide_records(request)})


def tool_create(request: AuthedRequest) -> HttpResponse:
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            create_tool(ToolSpec(
                name=data["name"], version=data["version"], scale=data["scale"],
                behaviors=list(data["behaviors"]), settings=list(data["settings"]),
                proficient_score=data["proficient_score"],
                observation_share=data["observation_share"],
                worker_latest=data["worker_latest"], worker_meeting=data["worker_meeting"]))
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Observation tool created.")
            return redirect("fidelity:tools")
    status = 400 if form.errors else 200
    return render(request, "fidelity/tool_form.html", {"form": form}, status=status)

