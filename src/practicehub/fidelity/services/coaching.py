"""Coaching plans: focus behaviors from developmental ratings, goals, sessions, progress and the
cascade (managers coach supervisors, who coach workers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth

from practicehub.accounts.models import OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Capability, Role
from practicehub.accounts.scoping import has_capability
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.services.versioning import save_if_current
from practicehub.fidelity.models import (
    CoachingPlan,
    CoachingSession,
    Goal,
    Mark,
    Observation,
    ObservationTool,
    Rating,
)
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.scoring import ProficientShare
from practicehub.practice_model.models import Behavior, ProfileDescriptor

# The person's level in the cascade, by their strongest role.
_CASCADE_LEVEL = {Role.PRACTITIONER: "Worker", Role.COACH: "Supervisor",
                  Role.COUNTY_LEAD: "Manager", Role.REGIONAL_SUPPORT: "Regional coach",
                  Role.STATE_ADMIN: "Core team"}


def home_node(person: User) -> OrgNode:
    """Where a person's plan lives for scoping: their unit, else their first role's node."""
    assignments = list(RoleAssignment.objects.filter(user=person).select_related("node"))
    if not assignments:
        raise FidelityError(f"{person} holds no role, so has no place for a coaching plan.")
    for assignment in assignments:
        if assignment.role == Role.PRACTITIONER:
            return assignment.node
    return assignments[0].node


def cascade_level(person: User) -> str:
    roles = set(RoleAssignment.objects.filter(user=person).values_list("role", flat=True))
    for role, label in reversed(_CASCADE_LEVEL.items()):
        if role in roles:
            return label
    return "Other"


def developmental_behaviors(person: User, tool: ObservationTool) -> list[Behavior]:
    """Behaviors rated below proficient in the person's latest scored observations."""
    latest = (Observation.objects.scored().filter(worker=person, tool=tool)
              .order_by("-observed_on", "-id").values("id")[: tool.worker_latest])
    ids = (Rating.objects.filter(observation__in=latest, mark=Mark.RATED,
                                 score__lt=tool.proficient_score)
           .values_list("behavior_id", flat=True).distinct())
    return list(Behavior.objects.filter(pk__in=ids).order_by("order"))


def start_plan(person: User, coach: User, tool: ObservationTool | None,
               started_on: date, focus: Behavior | None = None) -> CoachingPlan:
    """A plan whose focus is the behaviors ``person`` was rated developmental on with ``tool``,
    and ``focus`` (a behavior chosen from the dashboard's coaching priorities)."""
    node = home_node(person)
    if not has_capability(coach, Capability.FIDELITY_OBSERVE, node):
        raise FidelityError("You may not coach this person.")
    if coach.pk == person.pk:
        raise FidelityError("A coaching plan needs a coach other than the person coached.")
    with transaction.atomic():
        plan = CoachingPlan.objects.create(person=person, coach=coach, node=node, tool=tool,
                                           started_on=started_on)
        behaviors = developmental_behaviors(person, tool) if tool is not None else []
        if focus is not None and focus not in behaviors:
            behaviors.append(focus)
        plan.focus_behaviors.set(behaviors)
        record_event(Action.CREATE, obj=plan, fields=["person", "coach", "focus_behaviors"])
    return plan


@dataclass(frozen=True)
class FocusRow:
    behavior: Behavior
    expected: str
    developmental: str


def focus_rows(plan: CoachingPlan) -> list[FocusRow]:
    """Each focus behavior with the profile's two strongest levels beside it: what good looks
    like and what growing practice looks like (the developmental column is the coaching agenda)."""
    behaviors = list(plan.focus_behaviors.order_by("order"))
    texts: dict[int, list[str]] = {}
    for descriptor in (ProfileDescriptor.objects.filter(behavior__in=behaviors)
                       .order_by("behavior_id", "-level__rank")):
        texts.setdefault(descriptor.behavior_id, []).append(descriptor.text)
    rows = []
    for behavior in behaviors:
        found = texts.get(behavior.pk, [])
        rows.append(FocusRow(behavior, found[0] if found else "",
                             found[1] if len(found) > 1 else ""))
    return rows


def add_goal(plan: CoachingPlan, text: str, behavior: Behavior | None,
             target_on: date | None) -> Goal:
    refuse_if_closed(plan)
    if not text.strip():
        raise FidelityError("Describe the goal.")
    goal = Goal.objects.create(plan=plan, text=text.strip(), behavior=behavior,
                               target_on=target_on)
    record_event(Action.CREATE, obj=goal, fields=["text", "behavior", "target_on"])
    return goal


def achieve_goal(goal: Goal, on: date, expected_version: int | None = None) -> Goal:
    """Mark a goal met on ``on`` (or correct the date); refused (``StaleEdit``) if someone
    changed it since the page was drawn."""
    if on < goal.plan.started_on:
        raise FidelityError(f"A goal cannot be met before its plan started "
                            f"({goal.plan.started_on:%Y-%m-%d}).")
    save_if_current(goal, expected_version, {"achieved_on": on})
    goal.refresh_from_db()
    record_event(Action.UPDATE, obj=goal, fields=["achieved_on"])
    return goal


def close_plan(plan: CoachingPlan, on: date, expected_version: int | None = None
               ) -> CoachingPlan:
    """Close a plan on ``on`` (or correct the date): it stays readable, and takes no more
    goals or sessions."""
    if on < plan.started_on:
        raise FidelityError(f"A plan cannot close before it started "
                            f"({plan.started_on:%Y-%m-%d}).")
    save_if_current(plan, expected_version, {"closed_on": on})
    plan.refresh_from_db()
    record_event(Action.UPDATE, obj=plan, fields=["closed_on"])
    return plan


def refuse_if_closed(plan: CoachingPlan) -> None:
    if plan.closed_on is not None:
        raise FidelityError(f"This plan was closed on {plan.closed_on:%Y-%m-%d}; "
                            "start a new plan to coach again.")


def add_session(plan: CoachingPlan, by: User, held_on: date, notes: str,
                follow_ups: str) -> CoachingSession:
    refuse_if_closed(plan)
    if not notes.strip():
        raise FidelityError("Write what the session covered.")
    session = CoachingSession.objects.create(plan=plan, held_on=held_on, notes=notes.strip(),
                                             follow_ups=follow_ups.strip(), recorded_by=by)
    record_event(Action.CREATE, obj=session, fields=["held_on", "notes", "follow_ups"])
    return session


@dataclass(frozen=True)
class ProgressPoint(ProficientShare):
    month: date
    rated: int
    proficient: int
    mean: float | None


def progress(plan: CoachingPlan) -> list[ProgressPoint]:
    """Month by month, the person's ratings on the plan's focus behaviors (one grouped query)."""
    if plan.tool is None:
        return []
    rows = (Rating.objects.filter(observation__in=Observation.objects.scored().filter(
                worker=plan.person, tool=plan.tool),
                behavior__in=plan.focus_behaviors.all(), mark=Mark.RATED)
            .annotate(month=TruncMonth("observation__observed_on")).values("month")
            .annotate(rated=Count("id"),
                      proficient=Count("id", filter=Q(score__gte=plan.tool.proficient_score)),
                      mean=Avg("score"))
            .order_by("month"))
    return [ProgressPoint(row["month"], row["rated"], row["proficient"], row["mean"])
            for row in rows]


@dataclass(frozen=True)
class CascadeRow:
    depth: int
    plan: CoachingPlan
    level: str


def cascade(plans: list[CoachingPlan]) -> list[CascadeRow]:
    """Plans as a tree: a plan sits under the plan of its coach, when that coach has one."""
    by_person = {plan.person_id: plan for plan in plans}
    children: dict[int | None, list[CoachingPlan]] = {}
    for plan in plans:
        parent = by_person.get(plan.coach_id)
        children.setdefault(parent.pk if parent else None, []).append(plan)
    rows: list[CascadeRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for plan in children.get(parent, []):
            rows.append(CascadeRow(depth, plan, cascade_level(plan.person)))
            if depth < len(plans):
                walk(plan.pk, depth + 1)

    walk(None, 0)
    return rows
