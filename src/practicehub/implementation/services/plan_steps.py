"""Plan steps after they are written: priorities, objectives and action steps edited, moved up
or down, closed and deleted, each audited and version-checked (ADR 0009).

Order: a plan's priorities and an objective's action steps keep their natural order (by
dimension, by target date) until someone moves one; the first move numbers every sibling 1, 2, …
in the order they were shown, and steps added after that go last. Objectives are numbered from
the start.

Closing: an action step is closed as done or dropped on a date (``done_on``); an objective is
closed on a date (``closed_on``) and can be reopened. Deleting an objective deletes its action
steps and indicators with it; each deleted row has its own audit event.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models, transaction

from practicehub.accounts.models import User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.services.versioning import save_if_current, shown_fields
from practicehub.implementation.models import (
    ActionStatus,
    Dimension,
    Objective,
    PlanAction,
    Priority,
    Team,
)
from practicehub.implementation.services.access import InvalidInput, require_manage
from practicehub.implementation.services.plans import CLOSED

Step = Priority | Objective | PlanAction
UP, DOWN = "up", "down"


def _text(value: str, field: str = "text") -> str:
    if not value.strip():
        raise InvalidInput(field, "must not be blank")
    return value.strip()


def _save(user: User, step: Step, expected_version: int | None,
          fields: dict[str, Any]) -> Step:
    require_manage(user, step.node)
    changed = {name: value for name, value in fields.items() if getattr(step, name) != value}
    if changed:
        save_if_current(step, expected_version, changed)
        record_event(Action.UPDATE, obj=step, node=step.node, fields=list(changed))
    return step


def update_priority(user: User, priority: Priority, *, dimension: str, text: str,
                    expected_version: int | None = None) -> Priority:
    if dimension not in Dimension.values:
        raise InvalidInput("dimension", f"must be one of {', '.join(Dimension.values)}")
    _save(user, priority, expected_version, {"dimension": dimension, "text": _text(text)})
    return priority


def update_objective(user: User, objective: Objective, *, text: str,
                     priority: Priority | None = None,
                     expected_version: int | None = None) -> Objective:
    if priority is not None and priority.plan_id != objective.plan_id:
        raise InvalidInput("priority", "belongs to another plan")
    _save(user, objective, expected_version, {"text": _text(text), "priority": priority})
    return objective


def update_action(user: User, action: PlanAction, *, text: str, responsible: str,
                  target_on: datetime.date, supports_needed: str = "",
                  responsible_team: Team | None = None, status: str | None = None,
                  done_on: datetime.date | None = None,
                  expected_version: int | None = None) -> PlanAction:
    """Change an action step's wording, who, when and status. A closed status (done or
    dropped) needs the day it was closed; an open one clears it."""
    status = action.status if status is None else status
    if status not in ActionStatus.values:
        raise InvalidInput("status", f"must be one of {', '.join(ActionStatus.values)}")
    if status in CLOSED and done_on is None:
        raise InvalidInput("done_on", "give the day the step was closed (done or dropped)")
    if not responsible.strip() and responsible_team is None:
        raise InvalidInput("responsible", "name the person or team responsible")
    _save(user, action, expected_version, {
        "text": _text(text), "responsible": responsible.strip() or str(responsible_team),
        "responsible_team": responsible_team, "target_on": target_on,
        "supports_needed": supports_needed, "status": status,
        "done_on": done_on if status in CLOSED else None})
    return action


def close_objective(user: User, objective: Objective, on: datetime.date | None, *,
                    expected_version: int | None = None) -> Objective:
    """Close an objective on ``on``, or reopen it with ``None``."""
    _save(user, objective, expected_version, {"closed_on": on})
    return objective


def _siblings(step: Step) -> models.QuerySet[Any]:
    if isinstance(step, Priority):
        return Priority.objects.filter(plan_id=step.plan_id)
    if isinstance(step, Objective):
        return Objective.objects.filter(plan_id=step.plan_id)
    return PlanAction.objects.filter(objective_id=step.objective_id)


@transaction.atomic
def move(user: User, step: Step, direction: str) -> bool:
    """Move a step one place up or down among its siblings; False when it is already first
    (up) or last (down). Moving counts as an edit of both steps that change places."""
    require_manage(user, step.node)
    if direction not in (UP, DOWN):
        raise InvalidInput("direction", "must be up or down")
    ordered = list(_siblings(step).select_for_update())
    at = next(i for i, sibling in enumerate(ordered) if sibling.pk == step.pk)
    other = at - 1 if direction == UP else at + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[at], ordered[other] = ordered[other], ordered[at]
    for number, sibling in enumerate(ordered, start=1):
        if sibling.order != number:
            type(sibling).objects.filter(pk=sibling.pk).update(order=number)
    step.order = other + 1
    for moved in (ordered[at], ordered[other]):
        record_event(Action.UPDATE, obj=moved, node=step.node, fields=["order"])
    return True


def _claim(step: Step, expected_version: int | None) -> None:
    """Nobody deletes what they have not seen: refused if the step changed since the page."""
    save_if_current(step, expected_version, {},
                    yours=shown_fields(type(step), {"text": step.text}), strict=True)


@transaction.atomic
def delete_action(user: User, action: PlanAction, *,
                  expected_version: int | None = None) -> None:
    require_manage(user, action.node)
    _claim(action, expected_version)
    record_event(Action.DELETE, obj=action, node=action.node)
    action.delete()


@transaction.atomic
def delete_objective(user: User, objective: Objective, *,
                     expected_version: int | None = None) -> int:
    """Delete an objective with its action steps and indicators; returns how many steps went."""
    node = objective.node
    require_manage(user, node)
    _claim(objective, expected_version)
    steps = list(objective.actions.all())
    for action in steps:
        record_event(Action.DELETE, obj=action, node=node)
    for indicator in objective.indicators.all():
        record_event(Action.DELETE, obj=indicator, node=node)
    record_event(Action.DELETE, obj=objective, node=node)
    objective.delete()
    return len(steps)


@transaction.atomic
def delete_priority(user: User, priority: Priority, *,
                    expected_version: int | None = None) -> None:
    """Delete a priority; its objectives stay, no longer under a priority."""
    require_manage(user, priority.node)
    _claim(priority, expected_version)
    record_event(Action.DELETE, obj=priority, node=priority.node)
    priority.delete()
