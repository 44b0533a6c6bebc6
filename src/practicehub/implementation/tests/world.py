"""A small Fresno world of implementation records for page, API and permission tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from practicehub.implementation.models import (
    ActionItem,
    Indicator,
    Lesson,
    Meeting,
    Plan,
    PlanAction,
    Priority,
    Review,
    Stage,
    SupportActivity,
    Team,
)
from practicehub.implementation.services import (
    indicator_edits,
    plans,
    reviews,
    stages,
    support,
    teams,
)
from practicehub.implementation.tests.helpers import a_plan, a_team, an_objective
from practicehub.practice_model.services import find_version, load_shipped_models
from practicehub.testing.personas import Personas


@dataclass(frozen=True)
class World:
    team: Team
    meeting: Meeting
    item: ActionItem
    plan: Plan
    action: PlanAction
    activity: SupportActivity
    lesson: Lesson
    indicator: Indicator
    priority: Priority
    review: Review


def build_world(personas: Personas) -> World:
    load_shipped_models()
    lead, county = personas.fresno.lead, personas.fresno.county
    team = a_team(lead, county)
    member = teams.add_member(lead, team, member=personas.fresno.partner)
    meeting = teams.record_meeting(lead, team, held_on=datetime.date(2026, 2, 1),
                                   title="Kick-off", attendees=[member])
    plan = a_plan(lead, county)
    objective = an_objective(lead, plan)
    action = plans.add_action(lead, objective, text="Train supervisors",
                              responsible="IT", target_on=datetime.date(2026, 4, 1))
    indicator = indicator_edits.add_indicator(
        lead, objective, kind="stage", model_version=find_version("cfpm"),
        baseline_on=datetime.date(2026, 3, 31), baseline_value=1, target_value=3,
        target_on=datetime.date(2027, 6, 30))
    item = teams.add_action_item(lead, meeting, text="Draft charter", owner=member,
                                 plan_action=action)
    stages.record_stage(lead, node=county, model_version=find_version("cfpm"),
                        stage=Stage.EXPLORATION, entered_on=datetime.date(2026, 1, 1))
    activity = support.log_activity(personas.fresno.regional_support, support.ActivityInput(
        node=county, kind="strategic_call", occurred_on=datetime.date(2026, 2, 2),
        duration_minutes=60, mode="phone", providers=[personas.fresno.regional_support]))
    lesson = support.add_lesson(lead, node=county, title="Coaching rhythm", body="Monthly.",
                                created_on=datetime.date(2026, 2, 3))
    priority = plans.add_priority(lead, plan, dimension="workforce", text="Coaching routines")
    review = reviews.create_review(lead, node=county, kind="team_meeting",
                                   held_on=datetime.date(2026, 3, 31), title="First review",
                                   team=team, meeting=meeting)
    reviews.add_decision(lead, review, "Keep the monthly rhythm")
    return World(team, meeting, item, plan, action, activity, lesson, indicator, priority,
                 review)
