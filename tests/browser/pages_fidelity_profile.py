"""The implementation-support profile pages for the accessibility walk. Whoever walks them is
put on a support team beside five rated colleagues (so the chart has a row to draw) and rated
once, so every page opens for them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.roles import Role
from practicehub.fidelity.models import Observation
from practicehub.fidelity.services.profile_ratings import NewRating, rate
from practicehub.implementation.models import Team, TeamKind
from practicehub.implementation.services import teams
from practicehub.practice_model.services import load_shipped_models
from tests.browser.pages import Arguments

TEAM = "Walk implementation support team"


def _team() -> Team:
    found = Team.objects.filter(name=TEAM).first()
    if found is not None:
        return found
    load_shipped_models()
    admin = User.objects.filter(role_assignments__role=Role.STATE_ADMIN).first()
    assert admin is not None
    team = teams.create_team(admin, node=OrgNode.objects.get(code="rta-central"), name=TEAM,
                             kind=TeamKind.REGIONAL_SUPPORT)
    day = timezone.localdate() - timedelta(days=10)
    for n in range(1, 6):
        person = ensure_person(DemoLogin(f"walk.ist.{n}", "Walk", f"Member {n}",
                                         Role.REGIONAL_SUPPORT, "rta-central"))
        teams.add_member(admin, team, member=person)
        rate(NewRating(team, person, day, {"co_learning": ("rated", 3 if n % 2 else 2),
                                           "needs": ("rated", 3)}), person)
    return team


def _member(user: User) -> Observation:
    """``user`` on the walk team, with a self-rating of their own."""
    team = _team()
    if not team.members.filter(user=user).exists():
        admin = User.objects.filter(role_assignments__role=Role.STATE_ADMIN).first()
        assert admin is not None
        teams.add_member(admin, team, member=user)
    found = Observation.profile_ratings.filter(worker=user, observer=user).first()
    return found or rate(NewRating(team, user, timezone.localdate(),
                                   {"teams": ("rated", 2)}), user)


def _on_team(user: User) -> dict[str, Any]:
    _member(user)
    return {}


def _own_rating(user: User) -> dict[str, Any]:
    return {"pk": _member(user).pk}


PAGES: dict[str, Arguments] = {
    "fidelity:profile": _on_team,
    "fidelity:profile_rate": _on_team,
    "fidelity:profile_ratings": _on_team,
    "fidelity:profile_rating": _own_rating,
}

NOT_PAGES: dict[str, str] = {}
