"""Implementation pages for the accessibility walk. Records are made at the signed-in user's own
site (by the state administrator), so every role that may open a page finds one in scope."""

from __future__ import annotations

import datetime
from typing import Any

from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.scoping import home_nodes
from practicehub.assessments.services.instruments import load_shipped_instruments
from practicehub.implementation.models import (
    Indicator,
    Meeting,
    Plan,
    Review,
    SupportActivity,
    Team,
)
from practicehub.implementation.services import (
    indicator_edits,
    indicators,
    plans,
    reviews,
    support,
    teams,
)
from practicehub.practice_model.models import ModelVersion

WALK = "Accessibility walk"
DAY = datetime.date(2026, 2, 2)


def _admin() -> User:
    return User.objects.get(username="state_admin")


def _site(user: User) -> OrgNode:
    return home_nodes(user)[0]


def a_team(user: User) -> Team:
    site = _site(user)
    found = Team.objects.filter(node=site, name=WALK).first()
    if found is not None:
        return found
    team = teams.create_team(_admin(), node=site, name=WALK, kind="it",
                             purpose="Check the pages.")
    member = teams.add_member(_admin(), team, name="Pat Example", role="chair")
    meeting = teams.record_meeting(_admin(), team, held_on=DAY, title=WALK, kind="after_action",
                                   attendees=[member], review={"aar_next": "Keep going."})
    teams.add_decision(_admin(), meeting, "Walk every page.")
    teams.add_action_item(_admin(), meeting, text="Fix what axe finds", owner=member, due_on=DAY)
    return team


def a_plan(user: User) -> Plan:
    site = _site(user)
    found = Plan.objects.filter(node=site, title=WALK).first()
    if found is not None:
        return found
    plan = plans.create_plan(_admin(), node=site, kind="strategic", title=WALK,
                             start_on=DAY, reassess_on=datetime.date(2027, 8, 1))
    plans.add_priority(_admin(), plan, dimension="workforce", text="Coaching")
    objective = plans.add_objective(_admin(), plan, text="Coach every unit")
    plans.add_action(_admin(), objective, text="Train coaches", responsible="IT",
                     target_on=datetime.date(2026, 1, 15))
    if site.kind in indicators.OUTCOME_SITES:  # a unit's plan has no outcome figures
        indicator_edits.add_indicator(
            _admin(), objective, kind="outcome", measure="permanency_12m_entries",
            dimension="race_ethnicity", dimension_value="black",
            baseline_on=datetime.date(2024, 3, 31), baseline_value=0.3, target_value=0.45,
            target_on=datetime.date(2026, 6, 30))
    version = ModelVersion.objects.published().first()
    if version is not None:
        indicator_edits.add_indicator(_admin(), objective, kind="stage", model_version=version,
                                 baseline_on=datetime.date(2024, 3, 31), baseline_value=1,
                                 target_value=3, target_on=datetime.date(2027, 6, 30))
    # An assessment score, whose quarters have no administrations.
    drivers = {i.key: i for i in load_shipped_instruments()}.get("drivers-capacity")
    if drivers is not None:
        indicator_edits.add_indicator(_admin(), objective, kind="assessment", instrument=drivers,
                                      subscale="competency", baseline_on=DAY,
                                      baseline_value=40.0, target_value=80.0,
                                      target_on=datetime.date(2027, 6, 30))
    return plan


def _team(user: User) -> dict[str, Any]:
    return {"pk": a_team(user).pk}


def _meeting(user: User) -> dict[str, Any]:
    return {"pk": Meeting.objects.filter(team=a_team(user)).first().pk}  # type: ignore[union-attr]


def _plan(user: User) -> dict[str, Any]:
    return {"pk": a_plan(user).pk}


def _objective(user: User) -> dict[str, Any]:
    return {"pk": a_plan(user).objectives.get().pk}


def _indicator(user: User) -> dict[str, Any]:
    found = Indicator.objects.filter(objective__plan=a_plan(user)).first()
    assert found is not None
    return {"pk": found.pk}


def _priority(user: User) -> dict[str, Any]:
    return {"pk": a_plan(user).priorities.get().pk}


def _action(user: User) -> dict[str, Any]:
    return {"pk": a_plan(user).objectives.get().actions.order_by("pk").first().pk}  # type: ignore[union-attr]


def _review(user: User) -> dict[str, Any]:
    """A review of the user's site with a decision that added a step to the walk's plan."""
    site = _site(user)
    found = Review.objects.filter(node=site, title=WALK).first()
    if found is None:
        plan = a_plan(user)
        found = reviews.create_review(_admin(), node=site, kind="team_meeting", held_on=DAY,
                                      title=WALK, team=a_team(user), notes="Walk every page.")
        reviews.add_decision(_admin(), found, "Keep the walk monthly", reviews.NewAction(
            objective=plan.objectives.get(), responsible="IT",
            target_on=datetime.date(2026, 3, 1), text="Walk again in March"))
        plans.update_plan(_admin(), plan, status="active")
    return {"pk": found.pk}


def _with_review(user: User) -> dict[str, Any]:
    _review(user)
    return {}


def _site_pk(user: User) -> dict[str, Any]:
    return {"pk": _site(user).pk}


def _with_support(user: User) -> dict[str, Any]:
    site = _site(user)
    if not SupportActivity.objects.filter(node=site).exists():
        support.log_activity(_admin(), support.ActivityInput(
            node=site, kind="coaching", occurred_on=DAY, duration_minutes=90, mode="virtual",
            providers=[_admin()]))
    return {}


def _with_lesson(user: User) -> dict[str, Any]:
    site = _site(user)
    if not site.lessons.exists():
        support.add_lesson(_admin(), node=site, title=WALK, body="Pages are checked.",
                           created_on=DAY, link="https://example.org/guide", drivers=["coaching"])
    return {}


def _none(user: User) -> dict[str, Any]:
    return {}


PAGES = {
    "implementation:index": _none,
    "implementation:team_list": _none,
    "implementation:team_create": _none,
    "implementation:team_detail": _team,
    "implementation:team_edit": _team,
    "implementation:meeting_create": _team,
    "implementation:meeting_detail": _meeting,
    "implementation:meeting_edit": _meeting,
    "implementation:plan_list": _none,
    "implementation:plan_create": _none,
    "implementation:plan_detail": _plan,
    "implementation:plan_edit": _plan,
    "implementation:plan_timeline": _plan,
    "implementation:indicator_create": _objective,
    "implementation:indicator_edit": _indicator,
    "implementation:indicator_delete": _indicator,
    "implementation:priority_edit": _priority,
    "implementation:priority_delete": _priority,
    "implementation:objective_edit": _objective,
    "implementation:objective_close": _objective,
    "implementation:objective_delete": _objective,
    "implementation:action_edit": _action,
    "implementation:action_delete": _action,
    "implementation:review_list": _with_review,
    "implementation:review_create": _none,
    "implementation:review_detail": _review,
    "implementation:review_edit": _review,
    "implementation:stage_list": _none,
    "implementation:stage_site": _site_pk,
    "implementation:support_list": _with_support,
    "implementation:support_create": _none,
    "implementation:lesson_list": _with_lesson,
    "implementation:lesson_create": _none,
}

NOT_PAGES = {
    "implementation:member_add": "POST-only action",
    "implementation:decision_add": "POST-only action",
    "implementation:item_add": "POST-only action",
    "implementation:item_status": "POST-only action",
    "implementation:priority_add": "POST-only action",
    "implementation:objective_add": "POST-only action",
    "implementation:action_add": "POST-only action",
    "implementation:action_status": "POST-only action",
    "implementation:priority_move": "POST-only action",
    "implementation:objective_move": "POST-only action",
    "implementation:action_move": "POST-only action",
    "implementation:review_decision_add": "POST-only action",
    "implementation:stage_record": "POST-only action",
    "implementation:stage_rate": "POST-only action",
    "implementation:export": "CSV or Excel download",
    "api:implementation_teams": "JSON API",
    "api:implementation_team": "JSON API",
    "api:implementation_plans": "JSON API",
    "api:implementation_plan": "JSON API",
    "api:implementation_action_status": "JSON API",
    "api:implementation_stages": "JSON API",
    "api:implementation_support": "JSON API",
    "api:implementation_support_log": "JSON API",
    "api:implementation_dosage": "JSON API",
    "api:implementation_lessons": "JSON API",
    "api:implementation_reviews": "JSON API",
    "api:implementation_review": "JSON API",
    "api:implementation_review_decision": "JSON API",
}
