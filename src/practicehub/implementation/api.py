"""API: teams, plans with rolled-up progress, stages, the support log with dosage, and lessons.
Everything is scoped to the caller; records outside scope answer 404."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from practicehub.accounts.http import AuthedRequest
from practicehub.api.errors import answers
from practicehub.api.versions import expected_version
from practicehub.implementation.api_reviews import router as reviews_router
from practicehub.implementation.models import (
    ChecklistRating,
    Lesson,
    Plan,
    PlanAction,
    StageRecord,
    SupportActivity,
    Team,
)
from practicehub.implementation.services import measured, plans, stages, support
from practicehub.implementation.services import views_support as scope

router = Router(tags=["implementation"])


class MemberOut(Schema):
    name: str
    role: str
    organisation: str | None


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    site: str
    cadence: str
    purpose: str
    decision_authority: str
    communication_protocol: str


class TeamDetailOut(TeamOut):
    members: list[MemberOut]


def _team(team: Team) -> TeamOut:
    return TeamOut(id=team.pk, name=team.name, kind=team.kind, site=team.node.code,
                   cadence=team.cadence, purpose=team.purpose,
                   decision_authority=team.decision_authority,
                   communication_protocol=team.communication_protocol)


@router.get("/teams", response=answers(list[TeamOut], takes_input=False),
            url_name="implementation_teams")
def team_list(request: HttpRequest) -> list[TeamOut]:
    return [_team(t) for t in scope.teams_in_scope(request.user)]


@router.get("/teams/{pk}", response=answers(TeamDetailOut, records=True),
            url_name="implementation_team")
def team_detail(request: HttpRequest, pk: int) -> TeamDetailOut:
    team = get_object_or_404(scope.teams_in_scope(request.user), pk=pk)
    members = [MemberOut(name=m.display_name, role=m.role,
                         organisation=m.organisation.code if m.organisation else None)
               for m in team.members.select_related("user", "organisation")]
    return TeamDetailOut(**_team(team).model_dump(), members=members)


class ActionOut(Schema):
    id: int
    text: str
    responsible: str
    target_on: datetime.date
    status: str
    overdue: bool
    at_risk: bool
    edit_version: int


class ActualOut(Schema):
    quarter_end: datetime.date
    value: float | None  # None when suppressed or when the data hold no figure
    suppressed: bool
    data_quality: str  # "DQ" when the data behind it are over a data-quality limit, else "ok"
    target_line: float | None  # the straight line from baseline to target on that day


class IndicatorOut(Schema):
    id: int
    kind: str
    description: str
    measure: str
    dimension: str
    dimension_value: str
    tool: str | None
    content_level: str
    content_code: str
    model_version: str | None
    instrument: str | None  # an assessment score's instrument key
    subscale: str  # its sub-scale code; blank for the total score
    baseline_on: datetime.date
    baseline_value: float | None
    target_value: float
    target_on: datetime.date
    direction: str
    track: str  # on_track, off_track or no_data
    actuals: list[ActualOut]
    edit_version: int


class ObjectiveOut(Schema):
    id: int
    text: str
    progress: Decimal | None
    actions: list[ActionOut]
    indicators: list[IndicatorOut]


def _indicator(found: measured.MeasuredIndicator) -> IndicatorOut:
    i = found.indicator
    return IndicatorOut(
        id=i.pk, kind=i.kind, description=found.description, measure=i.measure,
        dimension=i.dimension, dimension_value=i.dimension_value,
        tool=i.tool.name if i.tool else None, content_level=i.content_level,
        content_code=i.content_code,
        model_version=str(i.model_version) if i.model_version else None,
        instrument=i.instrument.key if i.instrument else None, subscale=i.subscale,
        baseline_on=i.baseline_on, baseline_value=i.baseline_value,
        target_value=i.target_value, target_on=i.target_on, direction=i.direction,
        track=found.track.status,
        actuals=[ActualOut(quarter_end=r.actual.quarter, value=r.actual.value,
                           suppressed=r.actual.suppressed,
                           data_quality="DQ" if r.actual.data_quality else "ok",
                           target_line=r.expected_value)
                 for r in found.rows],
        edit_version=i.edit_version)


class PlanOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    site: str
    start_on: datetime.date
    reassess_on: datetime.date
    progress: Decimal | None
    overdue: int
    at_risk: int


class PlanDetailOut(PlanOut):
    definition_of_success: str
    objectives: list[ObjectiveOut]


def _plan(summary: plans.PlanSummary) -> PlanOut:
    plan = summary.plan
    return PlanOut(id=plan.pk, title=plan.title, kind=plan.kind, status=plan.status,
                   site=plan.node.code, start_on=plan.start_on, reassess_on=plan.reassess_on,
                   progress=summary.progress, overdue=len(summary.overdue),
                   at_risk=len(summary.at_risk))


@router.get("/plans", response=answers(list[PlanOut], takes_input=False),
            url_name="implementation_plans")
def plan_list(request: HttpRequest) -> list[PlanOut]:
    today = timezone.localdate()
    found = plans.plans_with_actions(Plan.objects.visible_to(request.user))
    return [_plan(plans.summarise(plan, today)) for plan in found]


def _action(action: PlanAction, today: datetime.date) -> ActionOut:
    return ActionOut(id=action.pk, text=action.text, responsible=action.responsible,
                     target_on=action.target_on, status=action.status,
                     overdue=plans.is_overdue(action, today),
                     at_risk=plans.is_at_risk(action, today), edit_version=action.edit_version)


@router.get("/plans/{pk}", response=answers(PlanDetailOut, records=True),
            url_name="implementation_plan")
def plan_detail(request: HttpRequest, pk: int) -> PlanDetailOut:
    today = timezone.localdate()
    plan = get_object_or_404(plans.plans_with_actions(Plan.objects.visible_to(request.user)),
                             pk=pk)
    summary = plans.summarise(plan, today)
    found = measured.measured_objectives(plan, request.user, today)
    objectives = [ObjectiveOut(id=o.objective.pk, text=o.objective.text, progress=o.progress,
                               actions=[_action(a, today) for a in o.actions],
                               indicators=[_indicator(m) for m in found.get(o.objective.pk, [])])
                  for o in summary.objectives]
    return PlanDetailOut(**_plan(summary).model_dump(),
                         definition_of_success=plan.definition_of_success, objectives=objectives)


class StatusIn(Schema):
    status: str
    edit_version: int | None = None


@router.post("/actions/{pk}/status", response=answers(ActionOut, records=True, versioned=True),
             url_name="implementation_action_status")
def action_status(request: AuthedRequest, pk: int, payload: StatusIn) -> ActionOut:
    today = timezone.localdate()
    action = get_object_or_404(scope.plan_actions_in_scope(request.user), pk=pk)
    version = expected_version(request, payload.edit_version)
    plans.set_action_status(request.user, action, payload.status, today,
                            expected_version=version)
    return _action(action, today)


class StageOut(Schema):
    stage: str
    entered_on: datetime.date | None
    duration_days: int | None
    activities: int
    established: int


class SiteStagesOut(Schema):
    site: str
    current: str | None
    stages: list[StageOut]


@router.get("/stages", response=answers(list[SiteStagesOut], takes_input=False),
            url_name="implementation_stages")
def stage_list(request: HttpRequest) -> list[SiteStagesOut]:
    version = scope.current_model()
    if version is None:
        return []
    rows = stages.compare_sites(StageRecord.objects.visible_to(request.user),
                                ChecklistRating.objects.visible_to(request.user), version,
                                timezone.localdate())
    return [SiteStagesOut(site=row.node.code, current=row.current, stages=[
        StageOut(stage=m.stage, entered_on=m.entered_on, duration_days=m.duration_days,
                 activities=m.activities, established=m.established) for m in row.measures])
            for row in rows]


class ActivityOut(Schema):
    id: int
    site: str
    kind: str
    occurred_on: datetime.date
    duration_minutes: int
    mode: str
    providers: list[str]
    summary: str


class ActivityIn(Schema):
    site: str
    kind: str
    occurred_on: datetime.date
    duration_minutes: int
    mode: str
    summary: str = ""
    providers: list[str] = []
    recipient_sites: list[str] = []
    recipient_teams: list[int] = []
    drivers: list[str] = []
    competencies: list[str] = []
    follow_ups: str = ""


def _activity(a: SupportActivity) -> ActivityOut:
    return ActivityOut(id=a.pk, site=a.node.code, kind=a.kind, occurred_on=a.occurred_on,
                       duration_minutes=a.duration_minutes, mode=a.mode,
                       providers=[p.username for p in a.providers.all()], summary=a.summary)


@router.get("/support", response=answers(list[ActivityOut], takes_input=False),
            url_name="implementation_support")
def support_list(request: HttpRequest) -> list[ActivityOut]:
    found = SupportActivity.objects.visible_to(request.user).select_related("node")
    return [_activity(a) for a in found.prefetch_related("providers")[:1000]]


@router.post("/support/log", response=answers(ActivityOut, status=201),
             url_name="implementation_support_log")
def support_log(request: AuthedRequest, payload: ActivityIn) -> Status[ActivityOut]:
    named = scope.named_in_scope(request.user, scope.Named(
        site=payload.site, providers=payload.providers, sites=payload.recipient_sites,
        teams=payload.recipient_teams))
    data = support.ActivityInput(
        node=named.site, kind=payload.kind, occurred_on=payload.occurred_on,
        duration_minutes=payload.duration_minutes, mode=payload.mode, summary=payload.summary,
        providers=named.providers, recipient_nodes=named.sites, recipient_teams=named.teams,
        drivers=payload.drivers, competencies=payload.competencies, follow_ups=payload.follow_ups)
    activity = support.log_activity(request.user, data)
    return Status(201, _activity(activity))


class DosageOut(Schema):
    breakdown: str
    group: str
    activities: int
    hours: Decimal


@router.get("/dosage", response=answers(list[DosageOut], takes_input=False),
            url_name="implementation_dosage")
def dosage(request: HttpRequest) -> list[DosageOut]:
    activities = SupportActivity.objects.visible_to(request.user)
    rows: list[DosageOut] = []
    for name, breakdown in (("site", support.dosage_by_site), ("month", support.dosage_by_month),
                            ("kind", support.dosage_by_kind),
                            ("provider", support.dosage_by_provider)):
        rows += [DosageOut(breakdown=name, group=r.label, activities=r.activities,
                           hours=r.hours) for r in breakdown(activities)]
    return rows


class LessonOut(Schema):
    id: int
    site: str
    kind: str
    title: str
    body: str
    link: str
    sharing: str
    drivers: list[str]


@router.get("/lessons", response=answers(list[LessonOut]), url_name="implementation_lessons")
def lesson_list(request: HttpRequest, q: str = "", driver: str = "") -> list[LessonOut]:
    found = support.search_lessons(Lesson.objects.visible_to(request.user), text=q,
                                   driver=driver).select_related("node")
    return [LessonOut(id=x.pk, site=x.node.code, kind=x.kind, title=x.title, body=x.body,
                      link=x.link, sharing=x.sharing, drivers=x.drivers) for x in found[:500]]


router.add_router("", reviews_router)
