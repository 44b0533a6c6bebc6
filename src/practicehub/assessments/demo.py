"""Assessments at two points in time for the seed sites, scored deterministically and dated
in the last year or so (counted back from today).

Scores follow a fixed pattern per item, a little higher at the second administration, so the
results pages show change and the lowest items suggest plan actions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from practicehub.accounts.models import OrgNode, User
from practicehub.assessments.models import Administration, Instrument
from practicehub.assessments.services import administrations, scoring
from practicehub.assessments.services.instruments import load_shipped_instruments
from practicehub.implementation.demo_builders import months_ago
from practicehub.implementation.models import Team

D = datetime.date

# (instrument key, site code, team name or "", method, months back of the two administrations)
PLANNED = (
    ("drivers-capacity", "sacramento-cps", "Sacramento CPS implementation team", "consensus",
     (14, 4)),
    ("team-functioning", "sacramento-cps", "Sacramento CPS implementation team", "individual",
     (10, 3)),
    ("implementation-snapshot", "fresno", "", "consensus", (11, 2)),
    ("drivers-capacity", "fresno", "Fresno County implementation team", "consensus", (9, 3)),
    ("team-functioning", "fresno-central", "Fresno Central practice team", "individual", (7, 1)),
    ("implementation-snapshot", "humboldt", "", "consensus", (12, 3)),
    ("system-capacity", "sacramento", "", "consensus", (13, 5)),
)
# Sacramento's readiness was assessed when it explored the model, years before the others.
HISTORY = (("exploration-readiness", "sacramento", "Sacramento executive leadership team",
            "consensus", (D(2016, 10, 12), D(2018, 11, 7))),)


def planned_dates(today: D, months: tuple[int, int]) -> tuple[D, D]:
    """The tenth of the month ``months`` back from today's: the two administrations."""
    first, second = (months_ago(today, back) + datetime.timedelta(days=9) for back in months)
    return first, second


def pattern_scores(spec: dict[str, Any], round_number: int) -> dict[str, int]:
    """A fixed score per item: spread over the scale, one step higher the second time."""
    values = scoring.scale_values(spec)
    items = scoring.items_of(spec)
    top = len(values) - 1
    return {item.code: values[min(top, (index * 7 + 3) % (top + 1) // 2 + round_number)]
            for index, item in enumerate(items)}


def _votes(team: Team | None, scores: dict[str, int], spec: dict[str, Any]
           ) -> dict[str, dict[str, int]]:
    """Members' votes: one member a step below the agreed score where the scale allows."""
    names = [m.display_name for m in team.members.all()] if team else ["Facilitated group"]
    low = min(scoring.scale_values(spec))
    return {code: {name: (max(low, value - 1) if index == 0 else value)
                   for index, name in enumerate(names)} for code, value in scores.items()}


def _administer(actor: User, instrument: Instrument, site: str, team_name: str, method: str,
                days: tuple[D, D]) -> None:
    node = OrgNode.objects.get(code=site)
    team = Team.objects.filter(name=team_name).first() if team_name else None
    for round_number, day in enumerate(days):
        administration = administrations.start_administration(
            actor, instrument=instrument, node=node, administered_on=day, method=method,
            team=team, facilitator=actor)
        scores = pattern_scores(instrument.spec, round_number)
        votes = _votes(team, scores, instrument.spec) if method == "consensus" else None
        administrations.record_scores(actor, administration, scores, votes)


def load_demo(progress: Callable[[str], None]) -> None:
    progress("Loading assessment instruments …")
    instruments = {i.key: i for i in load_shipped_instruments()}
    if Administration.objects.exists():
        progress("Assessment demo data already present.")
        return
    actor = User.objects.filter(username="cdss.coordinator").first() or User.objects.get(
        username="state.admin")
    today = timezone.localdate()
    with transaction.atomic():
        for key, site, team, method, days in HISTORY:
            _administer(actor, instruments[key], site, team, method, days)
        for key, site, team, method, months in PLANNED:
            _administer(actor, instruments[key], site, team, method,
                        planned_dates(today, months))
    progress(f"Assessments demo: {Administration.objects.count()} administrations.")
