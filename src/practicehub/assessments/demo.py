"""Assessments at two points in time for the seed sites, scored deterministically.

Scores follow a fixed pattern per item, a little higher at the second administration, so the
results pages show change and the lowest items suggest plan actions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction

from practicehub.accounts.models import OrgNode, User
from practicehub.assessments.models import Administration, Instrument
from practicehub.assessments.services import administrations, scoring
from practicehub.assessments.services.instruments import load_shipped_instruments
from practicehub.implementation.models import Team

D = datetime.date

# (instrument key, site code, team name or "", method, first date, second date)
PLANNED = (
    ("exploration-readiness", "sacramento", "Sacramento executive leadership team", "consensus",
     D(2016, 10, 12), D(2018, 11, 7)),
    ("drivers-capacity", "sacramento-cps", "Sacramento CPS implementation team", "consensus",
     D(2019, 3, 20), D(2019, 11, 20)),
    ("team-functioning", "sacramento-cps", "Sacramento CPS implementation team", "individual",
     D(2019, 4, 10), D(2019, 10, 10)),
    ("implementation-snapshot", "fresno", "", "consensus", D(2018, 2, 14), D(2019, 6, 12)),
    ("implementation-snapshot", "humboldt", "", "consensus", D(2018, 4, 18), D(2019, 4, 17)),
    ("system-capacity", "sacramento", "", "consensus", D(2019, 2, 6), D(2019, 12, 4)),
)


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
    with transaction.atomic():
        for key, site, team, method, first, second in PLANNED:
            _administer(actor, instruments[key], site, team, method, (first, second))
    progress(f"Assessments demo: {Administration.objects.count()} administrations.")
