"""Who may rate whom against the implementation-support profile, and that worker fidelity never
counts a profile rating."""

from __future__ import annotations

from datetime import date

import pytest

from practicehub.accounts.models import OrgNode
from practicehub.core.services import kept
from practicehub.fidelity.models import Observation, ObservationTool, RaterRelation, Setting
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.observations import NewObservation, start_observation
from practicehub.fidelity.services.profile_access import relation_of, whom_to_rate
from practicehub.fidelity.tests.conftest import Observe
from practicehub.fidelity.tests.profile_world import SupportTeam, rating, support_team
from practicehub.testing.personas import Personas

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 10)


@pytest.fixture
def world(personas: Personas) -> SupportTeam:
    return support_team(personas)


def test_a_member_rates_themself(world: SupportTeam) -> None:
    member = world.members[2]
    made = rating(world, member, member, DAY, co_learning=3, needs=2)
    assert made.rater_relation == RaterRelation.SELF
    assert (made.rated_count, made.proficient_count) == (2, 1)


def test_another_member_rates_as_a_peer(world: SupportTeam) -> None:
    made = rating(world, world.members[1], world.members[2], DAY, co_learning=3)
    assert made.rater_relation == RaterRelation.PEER


def test_the_chair_rates_as_their_lead(world: SupportTeam) -> None:
    made = rating(world, world.lead, world.members[3], DAY, teams=1)
    assert made.rater_relation == RaterRelation.LEAD
    assert relation_of(world.members[3], world.lead, world.team) == RaterRelation.PEER


def test_someone_off_the_team_is_refused_and_nothing_is_stored(world: SupportTeam) -> None:
    with pytest.raises(FidelityError) as refused:
        rating(world, world.outsider, world.members[1], DAY, co_learning=3)
    assert str(refused.value) == (f"You ({world.outsider.username}) are not a rating member of "
                                  "Central implementation support team.")
    assert not Observation.profile_ratings.exists()


def test_a_member_cannot_rate_someone_off_the_team_nor_an_advisor(world: SupportTeam) -> None:
    for other in (world.outsider, world.advisor):
        with pytest.raises(FidelityError, match="is not a rating member of Central"):
            rating(world, world.members[1], other, DAY, co_learning=3)
    assert next(p for p, _ in whom_to_rate(world.members[1], world.team)) == world.members[1]
    assert world.advisor not in [p for p, _ in whom_to_rate(world.lead, world.team)]


def test_an_unknown_competency_and_an_empty_rating_are_refused(world: SupportTeam) -> None:
    member = world.members[1]
    with pytest.raises(FidelityError, match="juggling is not a competency of"):
        rating(world, member, member, DAY, juggling=3)
    with pytest.raises(FidelityError, match="Rate at least one competency"):
        rating(world, member, member, DAY)


def test_a_profile_rating_changes_no_worker_fidelity_figure(
    world: SupportTeam, personas: Personas, observe: Observe, tool: ObservationTool,
) -> None:
    worker, coach = personas.fresno.practitioner, personas.fresno.coach
    observe(worker, coach, [3, 3, 2, 1, 3], on=DAY)
    # The whole state: the support team's region is inside it, so nothing is left out by place.
    scope = dashboards.Scope(tool=tool, node=OrgNode.objects.get(code="ca"), sees_people=True)
    before = {by: dashboards.groups_by(scope, by) for by in ("behavior", "quarter", "worker")}
    listed = list(Observation.objects.all())
    for member in world.members:
        rating(world, member, member, DAY, co_learning=3, needs=3, teams=1)
        if member != world.lead:
            rating(world, world.lead, member, DAY, co_learning=2)
    assert Observation.profile_ratings.count() == 11
    kept.forget_everything()  # figures computed afresh, not read from the dashboard cache
    assert {by: dashboards.groups_by(scope, by) for by in before} == before
    assert list(Observation.objects.all()) == listed
    assert list(ObservationTool.objects.all()) == [tool]
    assert ObservationTool.every_kind.count() == 2


def test_the_profile_tool_cannot_record_a_worker_observation(
    world: SupportTeam, personas: Personas,
) -> None:
    member = world.members[1]
    rating(world, member, member, DAY, co_learning=3)  # makes the profile's tool
    profile_tool = ObservationTool.every_kind.exclude(version__kind="practice").get()
    with pytest.raises(FidelityError, match="rates support staff against the implementation"):
        start_observation(NewObservation(
            tool=profile_tool, worker=personas.fresno.practitioner,
            observer=personas.fresno.coach, observed_on=DAY, setting=Setting.OTHER),
            personas.fresno.coach)
    assert not Observation.every_kind.filter(worker=personas.fresno.practitioner).exists()
