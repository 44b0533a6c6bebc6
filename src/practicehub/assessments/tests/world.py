"""A Fresno team's drivers assessment at two points in time, for page and API tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from practicehub.assessments.models import Administration, Instrument
from practicehub.assessments.services import administrations
from practicehub.assessments.services.instruments import load_shipped_instruments
from practicehub.implementation.models import Plan, Team
from practicehub.implementation.services import teams
from practicehub.implementation.tests.helpers import a_plan, a_team
from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import Personas

ITEMS = ["selection", "training", "coaching", "fidelity", "data-system", "facilitative-admin",
         "systems", "technical", "adaptive"]


@dataclass(frozen=True)
class AssessmentWorld:
    team: Team
    plan: Plan
    first: Administration
    second: Administration


def drivers(personas: Personas) -> Instrument:
    load_shipped_models()
    return {i.key: i for i in load_shipped_instruments()}["drivers-capacity"]


def build_assessment_world(personas: Personas) -> AssessmentWorld:
    instrument = drivers(personas)
    lead, county = personas.fresno.lead, personas.fresno.county
    team = a_team(lead, county)
    teams.add_member(lead, team, member=personas.fresno.partner)
    plan = a_plan(lead, county)
    found = []
    for day, value in ((datetime.date(2025, 9, 1), 1), (datetime.date(2026, 2, 1), 2)):
        administration = administrations.start_administration(
            lead, instrument=instrument, node=county, administered_on=day, method="consensus",
            team=team)
        scores = dict.fromkeys(ITEMS, value) | {"fidelity": 0}
        administrations.record_scores(lead, administration, scores,
                                      {code: {"Ana": v, "Ben": v} for code, v in scores.items()})
        found.append(administration)
    return AssessmentWorld(team, plan, found[0], found[1])
