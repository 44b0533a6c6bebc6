"""What both parts of the implementation demo build with: dates counted back from today, a
node by code, a team with its members, an objective with its actions."""

from __future__ import annotations

import datetime

from django.utils import timezone

from practicehub.accounts.models import OrgNode, User
from practicehub.implementation.models import (
    ActionStatus,
    Plan,
    Team,
)
from practicehub.implementation.services import plans, teams

D = datetime.date


def months_ago(today: D, months: int) -> D:
    """The first of the month ``months`` before ``today``'s (negative: after)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return D(year, month + 1, 1)


def node_of(code: str) -> OrgNode:
    return OrgNode.objects.get(code=code)


def seed_team(actor: User, node: str, name: str, kind: str, purpose: str, authority: str,
          cadence: str, members: list[tuple[User | str, str, str | None]],
          formed_on: D | None = None) -> Team:
    team = teams.create_team(actor, node=node_of(node), name=name, kind=kind, purpose=purpose,
                             decision_authority=authority, cadence=cadence, formed_on=formed_on,
                             communication_protocol="Notes within two working days; decisions "
                             "and open items reported at the next linked team's meeting.")
    for who, role, organisation in members:
        if isinstance(who, User):
            teams.add_member(actor, team, member=who, role=role)
        else:
            teams.add_member(actor, team, name=who, role=role,
                             organisation=node_of(organisation) if organisation else None)
    return team


Action = tuple[str, D, str]


def add_objective(actor: User, plan: Plan, dimension: str, text: str, actions: list[Action],
                   responsible: Team) -> None:
    """An objective with its actions; done ones carry the day they were finished."""
    priority = plans.add_priority(actor, plan, dimension=dimension, text=text)
    objective = plans.add_objective(actor, plan, text=text, priority=priority)
    for action_text, target, status in actions:
        action = plans.add_action(actor, objective, text=action_text, responsible=str(responsible),
                                  responsible_team=responsible, target_on=target)
        if status != ActionStatus.NOT_STARTED:
            plans.set_action_status(actor, action, status, min(target, timezone.localdate()))
