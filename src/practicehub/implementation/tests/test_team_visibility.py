from __future__ import annotations

import datetime

import pytest

from practicehub.implementation.models import Lesson, Meeting, Sharing, Team, TeamMember
from practicehub.implementation.services import support, teams
from practicehub.implementation.services.access import InvalidInput
from practicehub.implementation.tests.helpers import a_team
from practicehub.testing.personas import Personas


def test_a_partner_sees_only_the_teams_they_sit_on(personas: Personas) -> None:
    lead = personas.fresno.lead
    theirs = a_team(lead, personas.fresno.county, "Implementation team")
    a_team(lead, personas.fresno.county, "Executive leadership team")
    teams.add_member(lead, theirs, member=personas.fresno.partner)
    teams.record_meeting(lead, theirs, held_on=datetime.date(2026, 2, 1), title="Kick-off")
    partner = personas.fresno.partner
    assert list(Team.objects.visible_to(partner)) == [theirs]
    assert Meeting.objects.visible_to(partner).count() == 1


def test_region_support_reaches_county_teams_and_other_regions_do_not(personas: Personas) -> None:
    team = a_team(personas.fresno.lead, personas.fresno.county)
    assert team in Team.objects.visible_to(personas.fresno.regional_support)
    assert team not in Team.objects.visible_to(personas.humboldt.regional_support)
    assert team in Team.objects.visible_to(personas.state_admin)


def test_an_external_member_needs_a_name(personas: Personas) -> None:
    team = a_team(personas.fresno.lead, personas.fresno.county)
    with pytest.raises(InvalidInput) as refused:
        teams.add_member(personas.fresno.lead, team, name="  ")
    assert refused.value.field == "name"
    assert not TeamMember.objects.exists()


def test_an_action_item_owner_must_sit_on_the_team(personas: Personas) -> None:
    lead = personas.fresno.lead
    team, other = a_team(lead, personas.fresno.county), a_team(lead, personas.fresno.county, "ELT")
    stranger = teams.add_member(lead, other, name="Pat Doe")
    meeting = teams.record_meeting(lead, team, held_on=datetime.date(2026, 2, 1), title="IT")
    with pytest.raises(InvalidInput, match="owner"):
        teams.add_action_item(lead, meeting, text="Draft charter", owner=stranger)


def test_lessons_shared_across_regions_reach_everyone_and_others_stay_home(
    personas: Personas,
) -> None:
    lead = personas.fresno.lead
    day = datetime.date(2026, 2, 1)
    shared = support.add_lesson(lead, node=personas.fresno.county, title="Coaching rhythm",
                                body="Monthly coaching kept the team on track.", created_on=day,
                                sharing=Sharing.STATEWIDE, drivers=["coaching"])
    support.add_lesson(lead, node=personas.fresno.county, title="Local note",
                       body="Only for us.", created_on=day)
    seen = Lesson.objects.visible_to(personas.humboldt.lead)
    assert list(seen) == [shared]
    assert list(support.search_lessons(Lesson.objects.all(), text="coaching track")) == [shared]
    assert list(support.search_lessons(Lesson.objects.all(), driver="coaching")) == [shared]
