"""What the home page offers each user: the work their roles open to them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from practicehub.accounts.roles import Role
from practicehub.accounts.services.scoping import roles_of
from practicehub.core.navigation import may_open


@dataclass(frozen=True)
class HomeTask:
    title: str
    description: str
    url_name: str

    def href(self) -> str:
        return reverse(self.url_name)


_TASKS: dict[Role, tuple[HomeTask, ...]] = {
    Role.STATE_ADMIN: (
        HomeTask("Configure practice models", "Load, review, draft and publish model versions.",
                 "practice_model:index"),
        HomeTask("Administer people and roles", "Add people and assign roles at any site.",
                 "accounts:people"),
        HomeTask("Review the audit log", "Sign-ins, changes, views and exports.", "audit:events"),
    ),
    Role.REGIONAL_SUPPORT: (
        HomeTask("Your region's counties", "The counties and offices you support.",
                 "accounts:org_tree"),
    ),
    Role.COUNTY_LEAD: (
        HomeTask("Your county's sites", "Offices, units and the people in them.",
                 "accounts:org_tree"),
    ),
    Role.COACH: (
        HomeTask("Your workers", "People in the offices and units you coach.", "accounts:people"),
    ),
    Role.PRACTITIONER: (
        HomeTask("The practice behaviors", "What each behavior looks like when practised well.",
                 "practice_model:index"),
    ),
    Role.EVALUATOR: (
        HomeTask("Your sites", "The counties whose data you analyse.", "accounts:org_tree"),
    ),
    Role.PARTNER: (
        HomeTask("The practice model", "The values, practices and behaviors you help observe.",
                 "practice_model:index"),
    ),
}


def tasks_for(user: Any) -> list[HomeTask]:
    seen: dict[str, HomeTask] = {}
    for role in sorted(roles_of(user)):
        for task in _TASKS[role]:
            if may_open(user, task.url_name):
                seen.setdefault(task.title, task)
    return list(seen.values())
