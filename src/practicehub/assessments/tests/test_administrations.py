from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from practicehub.assessments.models import Administration, ItemScore, Vote
from practicehub.assessments.services import administrations
from practicehub.assessments.tests.world import ITEMS, build_assessment_world, drivers
from practicehub.implementation.models import PlanAction
from practicehub.implementation.services.access import InvalidInput
from practicehub.testing.personas import Personas


def test_consensus_keeps_every_members_vote_beside_the_agreed_score(personas: Personas) -> None:
    world = build_assessment_world(personas)
    assert Vote.objects.filter(administration=world.second).count() == 2 * len(ITEMS)
    results = administrations.results_of(world.second)
    # Eight items at 2 and fidelity at 0: 16 of 18 = 88.9%, above the 80% target.
    assert results is not None
    assert (results.total.shown, results.total.met_target) == (Decimal("88.9"), True)


def test_a_consensus_without_votes_is_refused_and_the_old_scores_stay(personas: Personas) -> None:
    world = build_assessment_world(personas)
    with pytest.raises(InvalidInput, match="keeps each member's votes"):
        administrations.record_scores(personas.fresno.lead, world.second,
                                      dict.fromkeys(ITEMS, 0))
    assert set(ItemScore.objects.filter(administration=world.second)
               .values_list("value", flat=True)) == {0, 2}


def test_the_method_must_be_one_the_instrument_allows(personas: Personas) -> None:
    with pytest.raises(InvalidInput) as refused:
        administrations.start_administration(
            personas.fresno.lead, instrument=drivers(personas), node=personas.fresno.county,
            administered_on=datetime.date(2026, 1, 1), method="individual")
    assert refused.value.field == "method"
    assert not Administration.objects.exists()


def test_another_county_cannot_be_assessed(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        administrations.start_administration(
            personas.fresno.lead, instrument=drivers(personas), node=personas.humboldt.county,
            administered_on=datetime.date(2026, 1, 1), method="consensus")


def test_the_lowest_item_becomes_a_plan_action_in_one_step(personas: Personas) -> None:
    world = build_assessment_world(personas)
    [first, *_] = administrations.suggestions(world.second)
    assert first.item.code == "fidelity"
    action = administrations.add_suggestion_to_plan(
        personas.fresno.lead, world.second, "fidelity", world.plan, datetime.date(2026, 6, 30))
    again = administrations.add_suggestion_to_plan(
        personas.fresno.lead, world.second, "fidelity", world.plan, datetime.date(2026, 7, 31))
    assert action.objective == again.objective
    assert action.objective.text == "Strengthen competency drivers (Drivers capacity assessment)"
    assert action.text.startswith("Choose a fidelity assessment routine")
    assert PlanAction.objects.filter(objective__plan=world.plan).count() == 2


def test_the_previous_administration_is_the_last_one_before(personas: Personas) -> None:
    world = build_assessment_world(personas)
    assert administrations.previous_of(world.second) == world.first
    assert administrations.previous_of(world.first) is None


def test_the_previous_administration_is_only_one_the_reader_may_see(personas: Personas) -> None:
    world = build_assessment_world(personas)
    fresno = Administration.objects.visible_to(personas.fresno.lead)
    assert administrations.previous_of(world.second, fresno) == world.first
    humboldt = Administration.objects.visible_to(personas.humboldt.lead)
    assert administrations.previous_of(world.second, humboldt) is None
