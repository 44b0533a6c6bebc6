"""Plans: creation with the template's fields, objectives and action steps, progress roll-ups,
overdue and at-risk actions, and the timeline.

Progress is rolled up from actions to objectives to the plan: a done action counts 1, one in
progress counts a half, the rest 0; dropped actions leave the count, since nobody will do them.
An objective is the mean of its actions and the plan the mean of its objectives, so an objective
with many small steps does not outweigh one with a few large ones.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet

from practicehub.accounts.models import OrgNode, User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.services.versioning import save_if_current, shown_fields
from practicehub.implementation.models import (
    ActionStatus,
    Dimension,
    Objective,
    Plan,
    PlanAction,
    PlanKind,
    PlanStatus,
    Priority,
    Team,
)
from practicehub.implementation.models.plans import ImplementationPlanQuerySet
from practicehub.implementation.services.access import InvalidInput, require_manage

ACTION_WEIGHT: dict[str, Decimal] = {
    ActionStatus.DONE: Decimal(1),
    ActionStatus.IN_PROGRESS: Decimal("0.5"),
    ActionStatus.NOT_STARTED: Decimal(0),
    ActionStatus.BLOCKED: Decimal(0),
}
# An unfinished action due within this many days that has not started (or is blocked) is at risk.
AT_RISK_DAYS = 30
CLOSED = {ActionStatus.DONE, ActionStatus.DROPPED}


def _choice(field: str, value: str, allowed: list[str]) -> None:
    if value not in allowed:
        raise InvalidInput(field, f"must be one of {', '.join(allowed)}, not {value!r}")


def next_order(siblings: QuerySet[Any], numbered: bool = False) -> int:
    """The order a new step takes: last once its siblings are numbered (``numbered``: always);
    0, the natural order, while none is."""
    top = siblings.aggregate(top=Max("order"))["top"] or 0
    return top + 1 if top or numbered else 0


def create_plan(user: User, *, node: OrgNode, kind: str, title: str, start_on: datetime.date,
                reassess_on: datetime.date, status: str = PlanStatus.DRAFT,
                planning_team: Team | None = None, definition_of_success: str = "",
                supports_needed: str = "") -> Plan:
    require_manage(user, node)
    _choice("kind", kind, PlanKind.values)
    _choice("status", status, PlanStatus.values)
    if not title.strip():
        raise InvalidInput("title", "must not be blank")
    if reassess_on <= start_on:
        raise InvalidInput("reassess_on", "must be after the start date")
    if planning_team is not None and not planning_team.node.path.startswith(node.path) \
            and not node.path.startswith(planning_team.node.path):
        raise InvalidInput("planning_team", "must be a team of this site or above it")
    plan = Plan.objects.create(
        node=node, kind=kind, title=title.strip(), status=status, planning_team=planning_team,
        start_on=start_on, reassess_on=reassess_on,
        definition_of_success=definition_of_success, supports_needed=supports_needed,
    )
    record_event(Action.CREATE, obj=plan)
    return plan


PLAN_FIELDS = ("title", "status", "start_on", "reassess_on", "definition_of_success",
               "supports_needed")


def update_plan(user: User, plan: Plan, *, expected_version: int | None = None,
                **fields: Any) -> Plan:
    """Change a plan's own fields; refused with ``StaleEdit`` if it was saved since
    ``expected_version``."""
    require_manage(user, plan.node)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "is not a field of a plan you can edit")
    if "status" in fields:
        _choice("status", fields["status"], PlanStatus.values)
    if "title" in fields:
        if not fields["title"].strip():
            raise InvalidInput("title", "must not be blank")
        fields["title"] = fields["title"].strip()
    if fields.get("reassess_on", plan.reassess_on) <= fields.get("start_on", plan.start_on):
        raise InvalidInput("reassess_on", "must be after the start date")
    changed = {name: value for name, value in fields.items() if getattr(plan, name) != value}
    if changed:
        save_if_current(plan, expected_version, changed)
        record_event(Action.UPDATE, obj=plan, fields=list(changed))
    return plan


def add_priority(user: User, plan: Plan, *, dimension: str, text: str) -> Priority:
    require_manage(user, plan.node)
    _choice("dimension", dimension, Dimension.values)
    if not text.strip():
        raise InvalidInput("text", "must not be blank")
    priority = Priority.objects.create(plan=plan, dimension=dimension, text=text.strip(),
                                       order=next_order(plan.priorities.all()))
    record_event(Action.CREATE, obj=priority, node=plan.node)
    return priority


def add_objective(user: User, plan: Plan, *, text: str,
                  priority: Priority | None = None) -> Objective:
    require_manage(user, plan.node)
    if not text.strip():
        raise InvalidInput("text", "must not be blank")
    if priority is not None and priority.plan_id != plan.pk:
        raise InvalidInput("priority", "belongs to another plan")
    order = next_order(plan.objectives.all(), numbered=True)
    objective = Objective.objects.create(plan=plan, text=text.strip(), priority=priority,
                                         order=order)
    record_event(Action.CREATE, obj=objective, node=plan.node)
    return objective


def add_action(user: User, objective: Objective, *, text: str, responsible: str,
               target_on: datetime.date, responsible_team: Team | None = None,
               supports_needed: str = "",
               status: str = ActionStatus.NOT_STARTED) -> PlanAction:
    require_manage(user, objective.plan.node)
    _choice("status", status, ActionStatus.values)
    if not text.strip():
        raise InvalidInput("text", "must not be blank")
    if not responsible.strip() and responsible_team is None:
        raise InvalidInput("responsible", "name the person or team responsible")
    action = PlanAction.objects.create(
        objective=objective, text=text.strip(),
        responsible=responsible.strip() or str(responsible_team),
        responsible_team=responsible_team, target_on=target_on, status=status,
        supports_needed=supports_needed, order=next_order(objective.actions.all()),
    )
    record_event(Action.CREATE, obj=action, node=objective.plan.node)
    return action


def set_action_status(user: User, action: PlanAction, status: str, on: datetime.date, *,
                      expected_version: int | None = None) -> PlanAction:
    """Change an action's status; ``done_on`` records when it was closed (done or dropped)."""
    require_manage(user, action.node)
    _choice("status", status, ActionStatus.values)
    if action.status == status:
        return action
    save_if_current(action, expected_version,
                    {"status": status, "done_on": on if status in CLOSED else None},
                    yours=shown_fields(PlanAction, {"status": status}))
    record_event(Action.UPDATE, obj=action, node=action.node, fields=["status", "done_on"])
    return action


def action_progress(action: PlanAction) -> Decimal | None:
    """0 to 1, or None for a dropped action, which is left out of every roll-up."""
    return ACTION_WEIGHT.get(action.status)


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def objective_progress(objective: Objective) -> Decimal | None:
    counted = [p for a in objective.actions.all() if (p := action_progress(a)) is not None]
    return _mean(counted)


def plan_progress(plan: Plan) -> Decimal | None:
    counted = [p for o in plan.objectives.all() if (p := objective_progress(o)) is not None]
    return _mean(counted)


def is_overdue(action: PlanAction, today: datetime.date) -> bool:
    return action.status not in CLOSED and action.target_on < today


def is_at_risk(action: PlanAction, today: datetime.date) -> bool:
    if action.status in CLOSED or is_overdue(action, today):
        return False
    if action.status == ActionStatus.BLOCKED:
        return True
    due_soon = action.target_on <= today + datetime.timedelta(days=AT_RISK_DAYS)
    return due_soon and action.status == ActionStatus.NOT_STARTED


@dataclass(frozen=True)
class ObjectiveSummary:
    objective: Objective
    progress: Decimal | None
    actions: list[PlanAction]


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    progress: Decimal | None
    objectives: list[ObjectiveSummary]
    overdue: list[PlanAction]
    at_risk: list[PlanAction]

    @property
    def horizon_months(self) -> int:
        start, end = self.plan.start_on, self.plan.reassess_on
        return (end.year - start.year) * 12 + end.month - start.month


def plans_with_actions(plans: ImplementationPlanQuerySet) -> ImplementationPlanQuerySet:
    return plans.prefetch_related("objectives__actions__review_decision__review",
                                  "priorities").select_related("node", "planning_team")


def summarise(plan: Plan, today: datetime.date) -> PlanSummary:
    objectives = [ObjectiveSummary(o, objective_progress(o), list(o.actions.all()))
                  for o in plan.objectives.all()]
    actions = [a for o in objectives for a in o.actions]
    return PlanSummary(
        plan=plan, progress=plan_progress(plan), objectives=objectives,
        overdue=[a for a in actions if is_overdue(a, today)],
        at_risk=[a for a in actions if is_at_risk(a, today)],
    )


@dataclass(frozen=True)
class TimelineStep:
    action: PlanAction
    overdue: bool


@dataclass(frozen=True)
class TimelineMonth:
    month: datetime.date
    actions: list[TimelineStep]


def timeline(plan: Plan, today: datetime.date) -> list[TimelineMonth]:
    """Action steps grouped by the month of their target date, in date order, each marked
    overdue by the same rule as the plan's overdue count."""
    months: dict[datetime.date, list[TimelineStep]] = {}
    actions = PlanAction.objects.filter(objective__plan=plan).order_by("target_on", "pk")
    for action in actions:
        months.setdefault(action.target_on.replace(day=1), []).append(
            TimelineStep(action, is_overdue(action, today)))
    return [TimelineMonth(month, found) for month, found in months.items()]


@transaction.atomic
def add_suggested_action(user: User, plan: Plan, *, objective_text: str, action_text: str,
                         responsible: str, target_on: datetime.date) -> PlanAction:
    """Add an action under the objective of that wording, creating the objective if new.

    Assessment suggestions use this so a second click on the same suggestion adds a step to
    the same objective rather than a duplicate objective.
    """
    objective = plan.objectives.filter(text=objective_text).first()
    if objective is None:
        objective = add_objective(user, plan, text=objective_text)
    return add_action(user, objective, text=action_text, responsible=responsible,
                      target_on=target_on)
