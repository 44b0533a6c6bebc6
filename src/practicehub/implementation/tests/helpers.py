"""Small builders for implementation records, so tests state only what they are about."""

from __future__ import annotations

import datetime

from practicehub.accounts.models import OrgNode, User
from practicehub.implementation.models import Objective, Plan, PlanKind, Team, TeamKind
from practicehub.implementation.services import plans, teams

START = datetime.date(2026, 1, 5)


def a_team(user: User, node: OrgNode, name: str = "Implementation team") -> Team:
    return teams.create_team(user, node=node, name=name, kind=TeamKind.IMPLEMENTATION)


def a_plan(user: User, node: OrgNode, title: str = "Strategic implementation plan") -> Plan:
    return plans.create_plan(user, node=node, kind=PlanKind.STRATEGIC, title=title,
                             start_on=START, reassess_on=datetime.date(2027, 1, 5))


def an_objective(user: User, plan: Plan, text: str = "Coach every unit") -> Objective:
    return plans.add_objective(user, plan, text=text)
