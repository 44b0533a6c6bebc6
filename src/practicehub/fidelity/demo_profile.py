"""Demo implementation-support profile ratings: the Central region's support team.

Run from the implementation demo once its teams exist (fidelity's own demo runs before them).
central.support and five colleagues (one of them the team's coordinator, their lead) rate
themselves every quarter for the last four quarters, and each is rated by the lead or a peer.
Expected ratings grow quarter by quarter, and self-ratings run a little above the others'.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.models import User
from practicehub.accounts.roles import Role
from practicehub.fidelity.models import Mark, Observation
from practicehub.fidelity.services.observations import Entry
from practicehub.fidelity.services.profile_ratings import NewRating, rate
from practicehub.implementation.models import Team, TeamKind, TeamRole
from practicehub.implementation.services import teams as team_services
from practicehub.practice_model.services.profiles import competencies, current_profile

REGION = "rta-central"
COLLEAGUES = (
    DemoLogin("central.ist.lead", "Teresa", "Alvarado", Role.REGIONAL_SUPPORT, REGION),
    DemoLogin("central.ist.1", "Owen", "Marsh", Role.REGIONAL_SUPPORT, REGION),
    DemoLogin("central.ist.2", "Priya", "Raman", Role.REGIONAL_SUPPORT, REGION),
    DemoLogin("central.ist.3", "Luis", "Carrillo", Role.REGIONAL_SUPPORT, REGION),
    DemoLogin("central.ist.4", "Grace", "Yoon", Role.REGIONAL_SUPPORT, REGION),
)


def _quarters(today: date, count: int = 4) -> list[date]:
    first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    months = [first.year * 12 + first.month - 1 - 3 * back for back in range(count)]
    return sorted(date(m // 12, m % 12 + 1, 1) for m in months)


def _members(team: Team, actor: User, support: User) -> tuple[User, list[User]]:
    """The lead and every rated member, added to the team when missing."""
    people = [ensure_person(login) for login in COLLEAGUES]
    on_team = set(team.members.values_list("user_id", flat=True))
    for person, role in ((people[0], TeamRole.COORDINATOR), *((p, TeamRole.MEMBER)
                                                              for p in [support, *people[1:]])):
        if person.pk not in on_team:
            team_services.add_member(actor, team, member=person, role=role)
    return people[0], [support, *people]


def _entries(rng: random.Random, codes: list[str], expected_odds: float) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for code in codes:
        roll = rng.random()
        if roll < 0.08:
            found[code] = (Mark.NOT_OBSERVED, None)
        elif roll < 0.08 + 0.92 * expected_odds:
            found[code] = (Mark.RATED, 3)
        else:
            found[code] = (Mark.RATED, 2 if rng.random() < 0.85 else 1)
    return found


def _rate_quarter(team: Team, lead: User, members: list[User], quarter: date, step: int,
                  codes: list[str], rng: random.Random, today: date) -> int:
    day = min(today, quarter + timedelta(days=40))
    made = 0
    for index, person in enumerate(members):
        rate(NewRating(team, person, day, _entries(rng, codes, 0.45 + 0.1 * step + 0.08)), person)
        rater = lead if person.pk != lead.pk and index % 2 == 0 else members[(index + 1) % len(
            members)]
        rate(NewRating(team, person, day, _entries(rng, codes, 0.4 + 0.1 * step)), rater)
        made += 2
    return made


def load_profile_demo(progress: Callable[[str], None]) -> None:
    version = current_profile()
    team = Team.objects.filter(kind=TeamKind.REGIONAL_SUPPORT, node__code=REGION).first()
    actor = User.objects.filter(username="cdss.coordinator").first()
    support = User.objects.filter(username="central.support").first()
    if version is None or team is None or actor is None or support is None:
        return
    if Observation.profile_ratings.filter(support_team=team).exists():
        progress("Implementation support profile ratings already present.")
        return
    today = timezone.localdate()
    codes = [c.code for c in competencies(version)]
    rng = random.Random(2026)  # noqa: S311  (synthetic demo ratings)
    with transaction.atomic():
        lead, members = _members(team, actor, support)
        made = sum(_rate_quarter(team, lead, members, quarter, step, codes, rng, today)
                   for step, quarter in enumerate(_quarters(today)))
    progress(f"  {made} implementation support profile ratings for {team}.")
