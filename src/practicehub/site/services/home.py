"""What the home page offers each user: the work their roles open to them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from practicehub.accounts.models import Visitor
from practicehub.accounts.roles import Role
from practicehub.accounts.scoping import roles_of
from practicehub.site.navigation import may_open


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
        HomeTask("Configure observation tools", "Behaviors, scales and fidelity rules.",
                 "fidelity:tools"),
        HomeTask("Administer people and roles", "Add people and assign roles at any site.",
                 "accounts:people"),
        HomeTask("Review the audit log", "Sign-ins, changes, views and exports.", "audit:events"),
        HomeTask("Statewide implementation", "Teams, plans, stages and support across sites.",
                 "implementation:index"),
    ),
    Role.REGIONAL_SUPPORT: (
        HomeTask("Your region's counties", "The counties and offices you support.",
                 "accounts:org_tree"),
        HomeTask("Log implementation support", "Calls, visits, coaching and their hours.",
                 "implementation:support_list"),
        HomeTask("Facilitate an assessment", "Readiness, drivers and capacity with a team.",
                 "assessments:index"),
    ),
    Role.COUNTY_LEAD: (
        HomeTask("Your county's sites", "Offices, units and the people in them.",
                 "accounts:org_tree"),
        HomeTask("Practice fidelity", "Scores, workers at fidelity and coaching priorities.",
                 "fidelity:dashboard"),
        HomeTask("Your implementation plan", "Objectives, action steps and what is overdue.",
                 "implementation:plan_list"),
        HomeTask("Your teams and stage", "Teams, meetings and where the county stands.",
                 "implementation:team_list"),
    ),
    Role.COACH: (
        HomeTask("Your workers", "People in the offices and units you coach.", "accounts:people"),
        HomeTask("Record an observation", "Rate practice behaviors; drafts are saved.",
                 "fidelity:observation_start"),
        HomeTask("Coach your workers", "Coaching plans, goals and sessions.", "fidelity:plans"),
    ),
    Role.PRACTITIONER: (
        HomeTask("The practice behaviors", "What each behavior looks like when practised well.",
                 "practice_model:index"),
        HomeTask("Your observations and coaching", "Your own ratings and coaching plan.",
                 "fidelity:observations"),
    ),
    Role.EVALUATOR: (
        HomeTask("Your sites", "The counties whose data you analyse.", "accounts:org_tree"),
    ),
    Role.PARTNER: (
        HomeTask("The practice model", "The values, practices and behaviors you help observe.",
                 "practice_model:index"),
        HomeTask("Fidelity results", "Aggregate results for the sites you work with.",
                 "fidelity:dashboard"),
        HomeTask("Your teams", "The implementation teams you sit on and their meetings.",
                 "implementation:team_list"),
    ),
}


def tasks_for(user: Visitor) -> list[HomeTask]:
    seen: dict[str, HomeTask] = {}
    for role in sorted(roles_of(user)):
        for task in _TASKS[role]:
            if may_open(user, task.url_name):
                seen.setdefault(task.title, task)
    return list(seen.values())
