"""A small implementation support team to rate against the shipped profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.roles import Role
from practicehub.fidelity.models import Mark, Observation
from practicehub.fidelity.services.observations import Entry
from practicehub.fidelity.services.profile_ratings import NewRating, rate
from practicehub.implementation.models import Team, TeamKind, TeamRole
from practicehub.implementation.services import teams
from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import Personas

PASSWORD = "profile-test-password"


@dataclass(frozen=True)
class SupportTeam:
    team: Team
    lead: User
    members: list[User]  # the lead first, then five members
    advisor: User
    outsider: User


def _person(username: str) -> User:
    return ensure_person(DemoLogin(username, username.title(), "Tester",
                                   Role.REGIONAL_SUPPORT, "rta-central"), password=PASSWORD)


def support_team(personas: Personas) -> SupportTeam:
    load_shipped_models()
    admin = personas.state_admin
    team = teams.create_team(admin, node=OrgNode.objects.get(code="rta-central"),
                             name="Central implementation support team",
                             kind=TeamKind.REGIONAL_SUPPORT)
    lead = _person("ist_lead")
    teams.add_member(admin, team, member=lead, role=TeamRole.CHAIR)
    members = [lead]
    for n in range(1, 6):
        person = _person(f"ist_member{n}")
        teams.add_member(admin, team, member=person)
        members.append(person)
    advisor = _person("ist_advisor")
    teams.add_member(admin, team, member=advisor, role=TeamRole.ADVISOR)
    return SupportTeam(team, lead, members, advisor, personas.humboldt.regional_support)


def entries(**marks: int) -> dict[str, Entry]:
    """Competency code → Expected (3), Developmental (2) or Unacceptable (1)."""
    return {code: (Mark.RATED, point) for code, point in marks.items()}


def rating(world: SupportTeam, rater: User, person: User, on: date,
           **marks: int) -> Observation:
    return rate(NewRating(world.team, person, on, entries(**marks)), rater)
