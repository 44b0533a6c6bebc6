"""Profile results worked by hand for a small team, with small groups hidden, and the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from practicehub.accounts.models import OrgNode
from practicehub.audit.models import AuditEvent
from practicehub.fidelity.models import Observation
from practicehub.fidelity.services.profile_results import Selection, competency_rows, quarter_rows
from practicehub.fidelity.tests.profile_world import SupportTeam, rating, support_team
from practicehub.implementation.services import support
from practicehub.implementation.services import teams as teams_service
from practicehub.practice_model.services.profiles import competencies
from practicehub.testing.personas import Personas

pytestmark = pytest.mark.django_db
Q1, Q2 = date(2026, 2, 10), date(2026, 5, 12)


@pytest.fixture
def world(personas: Personas) -> SupportTeam:
    """Q1: five people rate themselves (co_learning Expected, needs Developmental) and the lead
    rates four of them (co_learning Expected, teams Unacceptable). Q2: three self-ratings."""
    world = support_team(personas)
    for member in world.members[1:]:
        rating(world, member, member, Q1, co_learning=3, needs=2)
    for member in world.members[1:5]:
        rating(world, world.lead, member, Q1, co_learning=3, teams=1)
    for member in world.members[1:4]:
        rating(world, member, member, Q2, co_learning=3)
    return world


def _selection(world: SupportTeam) -> Selection:
    return Selection(teams=[world.team], since=date(2026, 1, 1), until=date(2026, 6, 30),
                     competencies=competencies())


def test_each_quarter_gives_self_beside_others_and_hides_small_groups(world: SupportTeam) -> None:
    rows = quarter_rows(_selection(world))
    assert [(r.label, r.people, r.hidden) for r in rows] == [
        ("2026 Q1, self-ratings", 5, False),
        ("2026 Q1, rated by peers and leads", 4, True),
        ("2026 Q2, self-ratings", 3, True),
    ]
    first = rows[0]
    # 5 Expected of 10 rated; co-creation (co_learning) 5 of 5; improvement (needs) 0 of 5.
    assert (first.share().expected, first.share().rated) == (5, 10)
    assert first.share("co_creation").share == 1.0
    assert first.share("improvement").share == 0.0
    assert first.share("sustaining").rated == 0


def test_each_competency_over_the_period_counts_the_support_activities_that_used_it(
    world: SupportTeam, personas: Personas,
) -> None:
    member = world.members[1]
    for day, used in ((date(2026, 3, 1), ["co_learning", "needs"]),
                      (date(2026, 4, 1), ["co_learning"]), (date(2025, 6, 1), ["co_learning"])):
        support.log_activity(personas.state_admin, support.ActivityInput(
            node=personas.fresno.county, kind="site_visit", occurred_on=day,
            duration_minutes=60, mode="onsite", providers=[member], competencies=used))
    rows = {row.competency.code: row for row in competency_rows(_selection(world))}
    # Self-ratings over both quarters: 5 people; co_learning Expected 8 of 8.
    assert (rows["co_learning"].own.expected, rows["co_learning"].own.rated) == (8, 8)
    assert rows["co_learning"].own_hidden is False
    assert rows["co_learning"].others_hidden is True  # the lead rated only four people
    assert (rows["co_learning"].activities, rows["needs"].activities,
            rows["teams"].activities) == (2, 1, 0)


def test_the_page_shows_the_figures_and_hides_what_is_small(world: SupportTeam,
                                                            login_as: Any) -> None:
    page = login_as(world.members[2]).get(reverse("fidelity:profile"),
                                          {"since": "2026-01-01", "until": "2026-06-30"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "<th scope=\"row\">2026 Q1, self-ratings</th><td>50% of 10</td><td>5</td>" in text
    assert "Hidden: fewer than 5 people rated" in text
    assert "Row: 2026 Q1, self-ratings" in text  # the chart draws the shown row
    assert "Row: 2026 Q2, self-ratings" not in text  # and not the hidden one


def test_a_bad_date_refuses_with_its_message(world: SupportTeam, login_as: Any) -> None:
    page = login_as(world.lead).get(reverse("fidelity:profile"), {"since": "someday"})
    assert page.status_code == 400
    assert "Enter a valid date." in page.content.decode()


def test_people_off_every_support_team_get_404_and_the_state_sees_all(
    world: SupportTeam, personas: Personas, login_as: Any,
) -> None:
    assert login_as(world.outsider).get(reverse("fidelity:profile")).status_code == 404
    assert login_as(personas.fresno.coach).get(reverse("fidelity:profile_rate")).status_code == 404
    state = login_as(personas.state_admin).get(reverse("fidelity:profile"))
    assert "Central implementation support team" in state.content.decode()
    one = Observation.profile_ratings.filter(worker=world.members[1]).first()
    assert one is not None
    url = reverse("fidelity:profile_rating", args=[one.pk])
    assert login_as(world.outsider).get(url).status_code == 404
    assert login_as(world.members[3]).get(url).status_code == 404  # a peer's own rating


def test_a_rating_is_recorded_from_the_form_and_its_reading_audited(
    world: SupportTeam, login_as: Any,
) -> None:
    client = login_as(world.lead)
    person = world.members[4]
    response = client.post(reverse("fidelity:profile_rate"), {
        "whom": f"{world.team.pk}:{person.pk}", "rated_on": "2026-05-20",
        "c_facilitation": "3", "c_cycles": "2", **{f"c_{c.code}": "not_observed"
                                                    for c in competencies()
                                                    if c.code not in {"facilitation", "cycles"}}})
    made = Observation.profile_ratings.filter(observer=world.lead, observed_on=date(2026, 5, 20))
    assert response.status_code == 302
    assert [(m.worker, m.rater_relation, m.proficient_count, m.rated_count) for m in made] == [
        (person, "lead", 1, 2)]
    page = client.get(response["Location"])
    assert "Ongoing improvement" in page.content.decode()
    assert "3 Expected" in page.content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=str(made[0].pk)).exists()


def test_the_form_refuses_someone_the_rater_may_not_rate(world: SupportTeam,
                                                         login_as: Any) -> None:
    client = login_as(world.members[1])
    response = client.post(reverse("fidelity:profile_rate"), {
        "whom": f"{world.team.pk}:{world.outsider.pk}", "rated_on": "2026-05-20",
        "c_facilitation": "3"})
    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()
    assert not Observation.profile_ratings.filter(worker=world.outsider).exists()


def test_the_fidelity_pages_link_the_profile_only_for_those_it_opens_for(
    world: SupportTeam, personas: Personas, login_as: Any,
) -> None:
    link = "Implementation support profile</a>"
    assert link in login_as(world.members[1]).get(reverse("fidelity:tools")).content.decode()
    assert link not in login_as(personas.fresno.coach).get(
        reverse("fidelity:tools")).content.decode()


def test_the_rating_form_shows_what_each_level_looks_like(world: SupportTeam,
                                                         login_as: Any) -> None:
    form = login_as(world.members[1]).get(reverse("fidelity:profile_rate")).content.decode()
    assert "Expected: Asks what the site already knows and has tried" in form
    assert "Unacceptable: Tells the site what to do" in form
    assert "Yourself — Central implementation support team" in form


def test_members_see_their_own_team_and_the_state_picks_a_region(
    world: SupportTeam, personas: Personas, login_as: Any,
) -> None:
    admin = personas.state_admin
    northern = teams_service.create_team(admin, node=OrgNode.objects.get(code="rta-northern"),
                                         name="Northern support team", kind="rist")
    teams_service.add_member(admin, northern, member=world.outsider)
    mine = login_as(world.members[1]).get(reverse("fidelity:profile")).content.decode()
    assert "Northern support team" not in mine
    assert login_as(world.members[1]).get(reverse("fidelity:profile"),
                                          {"team": northern.pk}).status_code == 400
    state = login_as(admin).get(reverse("fidelity:profile"), {
        "region": "rta-northern", "since": "2026-01-01", "until": "2026-06-30"}).content.decode()
    assert "1 team: Northern support team" in state
    assert "No ratings in these quarters." in state
