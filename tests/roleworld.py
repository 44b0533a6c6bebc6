"""A small Fresno world with one record of every kind a URL takes, for the project-wide walks.

``TARGETS`` maps each URL name that takes arguments to the record it opens in that world; a URL
with arguments and no entry fails ``test_every_url_with_arguments_has_a_record_to_open``, as
``SAMPLE_KWARGS`` does for the anonymous walk.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from practicehub.accounts.models import RoleAssignment, User
from practicehub.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from practicehub.assessments.models import Administration
from practicehub.assessments.services import administrations
from practicehub.assessments.tests.world import ITEMS, drivers
from practicehub.core.models import ImportJob
from practicehub.fidelity.models import CoachingPlan, Goal, Observation, ObservationTool, Setting
from practicehub.fidelity.services import coaching
from practicehub.fidelity.services.observations import (
    NewObservation,
    ToolSpec,
    create_tool,
    save_draft,
    start_observation,
    submit,
)
from practicehub.implementation.tests.world import World, build_world
from practicehub.practice_model.models import ModelVersion
from practicehub.practice_model.services import find_version
from practicehub.testing.personas import Personas


@dataclass(frozen=True)
class RoleWorld:
    personas: Personas
    implementation: World
    administration: Administration
    version: ModelVersion
    tool: ObservationTool
    submitted: Observation
    draft: Observation
    plan: CoachingPlan
    goal: Goal
    assignment: RoleAssignment
    job: ImportJob


def _observation(tool: ObservationTool, worker: User, observer: User, *, submit_it: bool
                 ) -> Observation:
    observation = start_observation(NewObservation(
        tool=tool, worker=worker, observer=observer, observed_on=datetime.date(2026, 3, 3),
        setting=Setting.HOME_VISIT), observer)
    first = tool.behaviors.order_by("order").values_list("id", flat=True)[0]
    save_draft(observation, observer, {first: ("rated", 3)})
    return submit(observation, observer) if submit_it else observation


def build_role_world(personas: Personas) -> RoleWorld:
    implementation = build_world(personas)
    lead = personas.fresno.lead
    administration = administrations.start_administration(
        lead, instrument=drivers(personas), node=personas.fresno.county,
        administered_on=datetime.date(2026, 2, 1), method="consensus",
        team=implementation.team)
    scores = dict.fromkeys(ITEMS, 2)
    administrations.record_scores(lead, administration, scores,
                                  {code: {"Ana": 2, "Ben": 1} for code in scores})
    version = find_version("cfpm")
    behaviors = list(version.behavior_set.filter(behavior_set="practice").order_by("order")[:3])
    tool = create_tool(ToolSpec(name="Walk tool", version=version, scale="profile",
                                behaviors=behaviors, settings=[Setting.HOME_VISIT]))
    worker, coach = personas.fresno.practitioner, personas.fresno.coach
    plan = coaching.start_plan(worker, coach, tool, datetime.date(2026, 3, 4))
    return RoleWorld(
        personas=personas, implementation=implementation, administration=administration,
        version=version, tool=tool,
        submitted=_observation(tool, worker, coach, submit_it=True),
        draft=_observation(tool, worker, coach, submit_it=False),
        plan=plan, goal=coaching.add_goal(plan, "Open with strengths.", None, None),
        assignment=RoleAssignment.objects.get(user=worker),
        job=ImportJob.objects.create(kind="fidelity.observations", title="Observation import",
                                     submitted_by=coach, file_name="observations.csv",
                                     stored_file="imports/observations.csv"),
    )


@dataclass(frozen=True)
class Target:
    """The arguments that open a Fresno record, and whether a county holds it.

    ``scoped=False``: shared reference data (practice models, instruments, export list names)
    that every signed-in user may open, so another county's persona gets no 404.
    ``body``: the JSON an API write sends, so the walk reaches the scope check behind ninja's
    validation.
    """

    kwargs: Callable[[RoleWorld], dict[str, Any]]
    scoped: bool = True
    body: dict[str, Any] = field(default_factory=dict)


def _pk(get: Callable[[RoleWorld], Any]) -> Callable[[RoleWorld], dict[str, Any]]:
    return lambda world: {"pk": get(world).pk}


def _model(world: RoleWorld) -> dict[str, Any]:
    return {"key": world.version.key, "version": world.version.label}


def _behavior(world: RoleWorld) -> dict[str, Any]:
    code = world.version.behavior_set.order_by("order").values_list("code", flat=True)[0]
    return _model(world) | {"code": code}


def _key(value: str) -> Callable[[RoleWorld], dict[str, Any]]:
    return lambda world: {"key": value}


_COUNTY = _pk(lambda w: w.personas.fresno.county)


def _report_job(world: RoleWorld) -> dict[str, Any]:
    """The Fresno lead's built progress report (a stand-in file): only the lead opens it."""
    from practicehub.reports.models import ReportJob, ReportStatus
    from practicehub.reports.services.jobs import write

    lead = world.personas.fresno.lead
    job = ReportJob.objects.filter(requested_by=lead).first()
    if job is None:
        path = write(b"%PDF-1.4 stand-in for the walk")
        job = ReportJob.objects.create(
            node=world.personas.fresno.county, requested_by=lead, status=ReportStatus.DONE,
            stored_file=str(path.relative_to(settings.DATA_DIR)), file_size=30,
            expires_at=timezone.now() + datetime.timedelta(hours=1))
    return {"pk": job.pk}


def _export_job(world: RoleWorld) -> dict[str, Any]:
    """The Fresno lead's written background export (a stand-in file): only the lead opens it."""
    from practicehub.core.models import ExportJob, JobStatus
    from practicehub.core.services.export_jobs import exports_dir

    lead = world.personas.fresno.lead
    job = ExportJob.objects.filter(requested_by=lead).first()
    if job is None:
        path = exports_dir() / "walk-stand-in.csv"
        path.write_bytes(b"a\r\n1\r\n")
        job = ExportJob.objects.create(
            title="Observations", path="/fidelity/observations/export.csv", requested_by=lead,
            status=JobStatus.DONE, stored_file=str(path.relative_to(settings.DATA_DIR)),
            file_name="observations.csv", content_type="text/csv", file_size=6,
            expires_at=timezone.now() + datetime.timedelta(hours=1))
    return {"pk": job.pk}


def _sip_plan(world: RoleWorld) -> dict[str, Any]:
    """A System Improvement Plan of Fresno County (its annual progress export)."""
    from practicehub.implementation.models import Plan, PlanKind
    from practicehub.implementation.services import plans

    county = world.personas.fresno.county
    plan = Plan.objects.filter(kind=PlanKind.SYSTEM_IMPROVEMENT, node=county).first()
    if plan is None:
        plan = plans.create_plan(world.personas.fresno.lead, node=county,
                                 kind=PlanKind.SYSTEM_IMPROVEMENT, title="Walk SIP",
                                 start_on=datetime.date(2025, 7, 1),
                                 reassess_on=datetime.date(2030, 7, 1))
    return {"pk": plan.pk}


def _profile_rating(world: RoleWorld) -> dict[str, Any]:
    """Fresno's regional support person's self-rating on a Central support team: the Northern
    region's support person is on no team with them, so gets 404."""
    from practicehub.accounts.models import OrgNode
    from practicehub.fidelity.services.profile_ratings import NewRating, rate
    from practicehub.implementation.models import TeamKind
    from practicehub.implementation.services import teams

    member = world.personas.fresno.regional_support
    found = Observation.profile_ratings.filter(worker=member).first()
    if found is None:
        admin = world.personas.state_admin
        team = teams.create_team(admin, node=OrgNode.objects.get(code="rta-central"),
                                 name="Walk support team", kind=TeamKind.REGIONAL_SUPPORT)
        teams.add_member(admin, team, member=member)
        found = rate(NewRating(team, member, datetime.date(2026, 3, 3),
                               {"co_learning": ("rated", 3)}), member)
    return {"pk": found.pk}


_WORKER = _pk(lambda w: w.personas.fresno.practitioner)
_SITE = _pk(lambda w: w.implementation.plan.node)

TARGETS: dict[str, Target] = {
    "accounts:node": Target(_COUNTY),
    "accounts:node_edit": Target(_COUNTY),
    "accounts:person": Target(_WORKER),
    "accounts:role_grant": Target(_WORKER),
    # A background import's page: only the coach who submitted it (and the state) open it.
    "core:job": Target(_pk(lambda w: w.job)),
    # A large export written in the background: only the person who asked opens it.
    "core:export_job": Target(_export_job),
    "core:export_download": Target(_export_job),
    "accounts:role_revoke": Target(lambda w: {"pk": w.assignment.user_id,
                                              "assignment_pk": w.assignment.pk}),
    "practice_model:version": Target(_model, scoped=False),
    "practice_model:values": Target(_model, scoped=False),
    "practice_model:capacity": Target(_model, scoped=False),
    "practice_model:systemic_issues": Target(_model, scoped=False),
    "practice_model:behavior": Target(_behavior, scoped=False),
    "practice_model:behavior_edit": Target(_behavior, scoped=False),
    "practice_model:start_draft": Target(_model, scoped=False),
    "practice_model:publish": Target(_model, scoped=False),
    "fidelity:observation": Target(_pk(lambda w: w.submitted)),
    "fidelity:observation_edit": Target(_pk(lambda w: w.draft)),
    "fidelity:observation_amend": Target(_pk(lambda w: w.submitted)),
    "fidelity:observation_submit": Target(_pk(lambda w: w.draft)),
    "fidelity:worker": Target(_WORKER),
    "fidelity:plan_start": Target(_WORKER),
    "fidelity:plan": Target(_pk(lambda w: w.plan)),
    "fidelity:goal_add": Target(_pk(lambda w: w.plan)),
    "fidelity:session_add": Target(_pk(lambda w: w.plan)),
    "fidelity:plan_close": Target(_pk(lambda w: w.plan)),
    "fidelity:goal_met": Target(_pk(lambda w: w.goal)),
    # A tool's import template holds no records, only the tool's column names.
    "fidelity:observation_template": Target(_pk(lambda w: w.tool), scoped=False),
    "fidelity:profile_rating": Target(_profile_rating),
    "implementation:team_detail": Target(_pk(lambda w: w.implementation.team)),
    "implementation:team_edit": Target(_pk(lambda w: w.implementation.team)),
    "implementation:member_add": Target(_pk(lambda w: w.implementation.team)),
    "implementation:meeting_create": Target(_pk(lambda w: w.implementation.team)),
    "implementation:meeting_detail": Target(_pk(lambda w: w.implementation.meeting)),
    "implementation:meeting_edit": Target(_pk(lambda w: w.implementation.meeting)),
    "implementation:decision_add": Target(_pk(lambda w: w.implementation.meeting)),
    "implementation:item_add": Target(_pk(lambda w: w.implementation.meeting)),
    "implementation:item_status": Target(_pk(lambda w: w.implementation.item)),
    "implementation:plan_detail": Target(_pk(lambda w: w.implementation.plan)),
    "implementation:plan_edit": Target(_pk(lambda w: w.implementation.plan)),
    "implementation:plan_timeline": Target(_pk(lambda w: w.implementation.plan)),
    "implementation:priority_add": Target(_pk(lambda w: w.implementation.plan)),
    "implementation:objective_add": Target(_pk(lambda w: w.implementation.plan)),
    "implementation:action_add": Target(_pk(lambda w: w.implementation.plan)),
    "implementation:action_status": Target(_pk(lambda w: w.implementation.action)),
    "implementation:indicator_create": Target(_pk(lambda w: w.implementation.indicator.objective)),
    "implementation:indicator_edit": Target(_pk(lambda w: w.implementation.indicator)),
    "implementation:indicator_delete": Target(_pk(lambda w: w.implementation.indicator)),
    "implementation:priority_edit": Target(_pk(lambda w: w.implementation.priority)),
    "implementation:priority_move": Target(_pk(lambda w: w.implementation.priority)),
    "implementation:priority_delete": Target(_pk(lambda w: w.implementation.priority)),
    "implementation:objective_edit": Target(_pk(lambda w: w.implementation.action.objective)),
    "implementation:objective_close": Target(_pk(lambda w: w.implementation.action.objective)),
    "implementation:objective_move": Target(_pk(lambda w: w.implementation.action.objective)),
    "implementation:objective_delete": Target(_pk(lambda w: w.implementation.action.objective)),
    "implementation:action_edit": Target(_pk(lambda w: w.implementation.action)),
    "implementation:action_move": Target(_pk(lambda w: w.implementation.action)),
    "implementation:action_delete": Target(_pk(lambda w: w.implementation.action)),
    "implementation:review_detail": Target(_pk(lambda w: w.implementation.review)),
    "implementation:review_edit": Target(_pk(lambda w: w.implementation.review)),
    "implementation:review_decision_add": Target(_pk(lambda w: w.implementation.review)),
    "implementation:stage_site": Target(_SITE),
    "reports:request": Target(_COUNTY),
    "reports:job": Target(_report_job),
    "reports:download": Target(_report_job),
    "reports:sip_progress": Target(_sip_plan),
    "implementation:stage_record": Target(_SITE),
    "implementation:stage_rate": Target(_SITE),
    # Export lists are named, not held; their rows follow the reader's scope.
    "implementation:export": Target(_key("teams"), scoped=False),
    "assessments:instrument": Target(_key("drivers-capacity"), scoped=False),
    "assessments:administration": Target(_pk(lambda w: w.administration)),
    "assessments:scores": Target(_pk(lambda w: w.administration)),
    "assessments:suggestion_add": Target(_pk(lambda w: w.administration)),
    "assessments:export": Target(_key("administrations"), scoped=False),
    "api:practice_model_version": Target(_model, scoped=False),
    "api:fidelity_observation": Target(_pk(lambda w: w.submitted)),
    "api:fidelity_observation_ratings": Target(_pk(lambda w: w.draft), body={"ratings": {}}),
    "api:fidelity_observation_submit": Target(_pk(lambda w: w.draft)),
    "api:fidelity_observation_amend": Target(_pk(lambda w: w.submitted),
                                             body={"ratings": {}, "reason": "walk"}),
    "api:implementation_team": Target(_pk(lambda w: w.implementation.team)),
    "api:implementation_plan": Target(_pk(lambda w: w.implementation.plan)),
    "api:implementation_review": Target(_pk(lambda w: w.implementation.review)),
    "api:implementation_review_decision": Target(_pk(lambda w: w.implementation.review),
                                                 body={"text": "walk"}),
    "api:implementation_action_status": Target(_pk(lambda w: w.implementation.action),
                                               body={"status": "done"}),
    "api:assessments_administration": Target(_pk(lambda w: w.administration)),
    "api:assessments_scores": Target(_pk(lambda w: w.administration), body={"scores": {}}),
}


@dataclass(frozen=True)
class Persona:
    label: str
    user: User
    county: str

    @property
    def capabilities(self) -> frozenset[Capability]:
        roles = RoleAssignment.objects.filter(user=self.user).values_list("role", flat=True)
        return frozenset().union(*(ROLE_CAPABILITIES[Role(role)] for role in roles))


def every_persona(personas: Personas) -> list[Persona]:
    found = [Persona("state_admin", personas.state_admin, "")]
    for county in ("fresno", "humboldt"):
        people = getattr(personas, county)
        for role in ("regional_support", "lead", "coach", "practitioner", "evaluator",
                     "partner"):
            found.append(Persona(f"{county}.{role}", getattr(people, role), county))
    return found


def row_counts() -> dict[str, int]:
    """Rows in every table of the application database, in one query."""
    tables = sorted(connection.introspection.django_table_names(only_existing=True))
    quote = connection.ops.quote_name
    # Table names come from Django's own introspection, never from input.
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}"  # noqa: S608
                             for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {str(name): int(count) for name, count in cursor.fetchall()}
