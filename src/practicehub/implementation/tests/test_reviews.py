"""Reviews of progress: what a review gathers over its window (worked by hand below), decisions
that create plan action steps, the list's scope and filters, and lost updates refused."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from practicehub.assessments.services import administrations
from practicehub.assessments.tests.world import ITEMS, drivers
from practicehub.audit.models import AuditEvent
from practicehub.implementation.models import (
    ActionStatus,
    Meeting,
    PlanAction,
    PlanStatus,
    Review,
    ReviewKind,
    Stage,
)
from practicehub.implementation.services import (
    owed,
    plans,
    review_contents,
    reviews,
    stages,
    support,
    teams,
)
from practicehub.implementation.tests.helpers import a_plan, a_team, an_objective
from practicehub.practice_model.services import find_version, load_shipped_models
from practicehub.testing.personas import Personas

D = datetime.date
TODAY = D(2026, 12, 1)


def _review(personas: Personas, held_on: D, title: str = "Quarterly review") -> Review:
    return reviews.create_review(personas.fresno.lead, node=personas.fresno.county,
                                 kind=ReviewKind.TEAM_MEETING, held_on=held_on, title=title)


@pytest.fixture
def fresno(personas: Personas) -> dict[str, Any]:
    """Fresno's active plan from 2026-01-05, a review on 2026-03-31 and one on 2026-06-30, so the
    second looks back over 2026-04-01 to 2026-06-30. Around that window: steps, meeting items,
    support, stages and assessments, each inside or outside it."""
    load_shipped_models()
    lead, county, office = personas.fresno.lead, personas.fresno.county, personas.fresno.office
    plan = a_plan(lead, county)
    plans.update_plan(lead, plan, status=PlanStatus.ACTIVE)
    objective = an_objective(lead, plan)

    def step(text: str, target: D, status: str = ActionStatus.NOT_STARTED) -> PlanAction:
        return plans.add_action(lead, objective, text=text, responsible="IT", target_on=target,
                                status=status)

    step("Overdue before the window", D(2026, 3, 15))
    step("Fell overdue in the window", D(2026, 5, 10))
    done = step("Done in time", D(2026, 5, 1))
    plans.set_action_status(lead, done, ActionStatus.DONE, D(2026, 4, 20))
    late = step("Done after the review", D(2026, 4, 10))
    plans.set_action_status(lead, late, ActionStatus.DONE, D(2026, 7, 1))
    step("Blocked, due soon", D(2026, 7, 15), status=ActionStatus.BLOCKED)

    team = a_team(lead, county)
    member = teams.add_member(lead, team, member=lead)
    april = teams.record_meeting(lead, team, held_on=D(2026, 4, 2), title="April meeting")
    teams.add_action_item(lead, april, text="Past due item", owner=member, due_on=D(2026, 5, 1))
    teams.add_action_item(lead, april, text="Open item", owner=member, due_on=D(2026, 8, 1))
    closed = teams.add_action_item(lead, april, text="Closed item", due_on=D(2026, 4, 9))
    teams.set_item_status(lead, closed, "done")
    july = teams.record_meeting(lead, team, held_on=D(2026, 7, 5), title="July meeting")
    teams.add_action_item(lead, july, text="Item after the review", due_on=D(2026, 7, 6))

    provider = personas.fresno.regional_support
    for day, kind, minutes, site in ((D(2026, 3, 31), "coaching", 120, county),
                                     (D(2026, 4, 15), "coaching", 90, county),
                                     (D(2026, 5, 15), "coaching", 60, office),
                                     (D(2026, 6, 30), "strategic_call", 60, county),
                                     (D(2026, 7, 1), "coaching", 30, county)):
        support.log_activity(provider, support.ActivityInput(
            node=site, kind=kind, occurred_on=day, duration_minutes=minutes, mode="virtual",
            providers=[provider]))

    cfpm = find_version("cfpm")
    stages.record_stage(lead, node=county, model_version=cfpm, stage=Stage.EXPLORATION,
                        entered_on=D(2026, 1, 1))
    stages.record_stage(lead, node=county, model_version=cfpm, stage=Stage.INSTALLATION,
                        entered_on=D(2026, 5, 1))

    instrument = drivers(personas)
    found = {}
    for day in (D(2026, 2, 1), D(2026, 5, 20)):
        administration = administrations.start_administration(
            lead, instrument=instrument, node=county, administered_on=day, method="consensus",
            team=team)
        administrations.record_scores(lead, administration, dict.fromkeys(ITEMS, 2),
                                      {code: {"Ana": 2} for code in ITEMS})
        found[day] = administration
    administrations.start_administration(lead, instrument=instrument, node=county,
                                         administered_on=D(2026, 6, 1), method="consensus")
    first = _review(personas, D(2026, 3, 31), "First quarter review")
    second = _review(personas, D(2026, 6, 30), "Second quarter review")
    return {"plan": plan, "objective": objective, "first": first, "second": second,
            "scored": found[D(2026, 5, 20)]}


def test_the_window_runs_from_the_day_after_the_last_review(personas: Personas,
                                                            fresno: dict[str, Any]) -> None:
    window = reviews.window_of(fresno["second"], TODAY)
    assert (window.since, window.until, window.previous) == (D(2026, 4, 1), D(2026, 6, 30),
                                                             fresno["first"])
    first = reviews.window_of(fresno["first"], TODAY)
    assert (first.since, first.previous) == (D(2026, 1, 5), None)  # the plan's start


def test_a_review_splits_overdue_steps_by_when_they_fell_due(personas: Personas,
                                                             fresno: dict[str, Any]) -> None:
    found = review_contents.gather(fresno["second"], personas.fresno.lead, TODAY)
    # Due 2026-05-10 and 2026-04-10 (done only on 2026-07-01, after the review): in the window.
    assert [a.text for a in found.newly_overdue] == ["Done after the review",
                                                     "Fell overdue in the window"]
    assert [a.text for a in found.still_overdue] == ["Overdue before the window"]
    assert [a.text for a in found.at_risk] == ["Blocked, due soon"]
    # At the first review (2026-03-31), the 2026-03-15 step had just fallen due in its window.
    earlier = review_contents.gather(fresno["first"], personas.fresno.lead, TODAY)
    assert [a.text for a in earlier.newly_overdue] == ["Overdue before the window"]
    assert earlier.still_overdue == []


def test_a_review_lists_open_meeting_items_and_flags_those_past_due(
        personas: Personas, fresno: dict[str, Any]) -> None:
    found = review_contents.gather(fresno["second"], personas.fresno.lead, TODAY)
    assert [(row.item.text, row.past_due) for row in found.items] == [
        ("Past due item", True), ("Open item", False)]
    assert found.items_past_due == 1


def test_a_review_sums_the_support_hours_of_its_window_and_the_sites_under_it(
        personas: Personas, fresno: dict[str, Any]) -> None:
    found = review_contents.gather(fresno["second"], personas.fresno.lead, TODAY)
    # 90 + 60 (the office) + 60 minutes; not the 120 on the last review's day, nor 30 after.
    assert (found.support.activities, found.support.minutes) == (3, 210)
    assert found.support.hours == Decimal("3.5")
    assert [(r.label, r.activities, r.hours) for r in found.support.by_kind] == [
        ("Behavioral coaching session", 2, Decimal("2.5")),
        ("Strategic call", 1, Decimal("1.0"))]


def test_a_review_shows_stage_changes_and_assessments_of_its_window_only(
        personas: Personas, fresno: dict[str, Any]) -> None:
    found = review_contents.gather(fresno["second"], personas.fresno.lead, TODAY)
    assert [(s.stage, s.entered_on) for s in found.stages] == [(Stage.INSTALLATION,
                                                                D(2026, 5, 1))]
    # The 2026-06-01 administration has no scores yet; the February one is before the window.
    assert [row.administration for row in found.assessments] == [fresno["scored"]]
    # The first review looks back to the plan's start, 2026-01-05: exploration (2026-01-01)
    # was entered before it.
    earlier = review_contents.gather(fresno["first"], personas.fresno.lead, TODAY)
    assert earlier.stages == []


def test_the_review_page_shows_what_it_gathered(personas: Personas, fresno: dict[str, Any],
                                                login_as: Any) -> None:
    page = login_as(personas.fresno.lead).get(
        reverse("implementation:review_detail", kwargs={"pk": fresno["second"].pk})).text
    assert "From 2026-04-01 to 2026-06-30" in page
    assert "Overdue: fell due in this window" in page
    assert "Overdue since before this window" in page
    assert "3 support activities, 3.5 hours" in page
    assert "Past due" in page
    assert "Coach every unit" in page  # the active plan's objective
    assert "Installation" in page


def test_a_decision_creates_a_plan_action_that_links_back(personas: Personas,
                                                          fresno: dict[str, Any],
                                                          login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    review = fresno["second"]
    response = client.post(reverse("implementation:review_decision_add",
                                   kwargs={"pk": review.pk}), {
        "text": "Coach the new supervisors first", "objective": fresno["objective"].pk,
        "responsible": "Fresno coach", "target_on": "2026-09-30"})
    assert response.status_code == 302
    decision = review.decisions.get()
    action = PlanAction.objects.get(text="Coach the new supervisors first")
    assert decision.action == action
    assert (action.objective, action.responsible, action.target_on) == (
        fresno["objective"], "Fresno coach", D(2026, 9, 30))
    # Given to the team the lead sits on, a step decided in the review is theirs to do.
    team = fresno["second"].node.teams.get()
    client.post(reverse("implementation:review_decision_add", kwargs={"pk": review.pk}), {
        "text": "Observe every unit", "objective": fresno["objective"].pk,
        "responsible_team": team.pk, "target_on": "2026-08-31"})
    theirs = owed.overdue_actions(personas.fresno.lead, D(2026, 9, 1))
    assert "Observe every unit" in [a.text for a in theirs]
    plan_page = client.get(reverse("implementation:plan_detail",
                                   kwargs={"pk": fresno["plan"].pk})).text
    assert "decided in" in plan_page
    assert "Second quarter review" in plan_page
    assert AuditEvent.objects.filter(object_type="implementation.reviewdecision",
                                     action="create").count() == 2


def test_a_decision_adding_a_step_without_a_date_is_refused_and_changes_nothing(
        personas: Personas, fresno: dict[str, Any], login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    steps = PlanAction.objects.count()
    client.post(reverse("implementation:review_decision_add",
                        kwargs={"pk": fresno["second"].pk}),
                {"text": "Do it", "objective": fresno["objective"].pk, "responsible": "IT"})
    page = client.get(reverse("implementation:review_detail",
                              kwargs={"pk": fresno["second"].pk})).text
    assert "Nothing was saved. target_on: Give the new step a target date." in page
    assert PlanAction.objects.count() == steps
    assert not fresno["second"].decisions.exists()


def test_another_countys_review_is_404_and_the_list_is_scoped(personas: Personas,
                                                              fresno: dict[str, Any],
                                                              login_as: Any) -> None:
    client = login_as(personas.humboldt.lead)
    url = reverse("implementation:review_detail", kwargs={"pk": fresno["second"].pk})
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:implementation_review",
                              kwargs={"pk": fresno["second"].pk})).status_code == 404
    assert "Second quarter review" not in client.get(
        reverse("implementation:review_list")).text


def test_the_review_list_filters_by_year_and_kind(personas: Personas, fresno: dict[str, Any],
                                                  login_as: Any) -> None:
    reviews.create_review(personas.fresno.lead, node=personas.fresno.county,
                          kind=ReviewKind.STRATEGIC_CALL, held_on=D(2025, 11, 3),
                          title="Call with the region")
    client = login_as(personas.fresno.lead)
    url = reverse("implementation:review_list")
    page = client.get(url, {"year": "2025"}).text
    assert "Call with the region" in page
    assert "Second quarter review" not in page
    page = client.get(url, {"kind": "team_meeting"}).text
    assert "1–2 of 2 matching the filters, of 3 in all" in page
    assert "Call with the region" not in page


def test_an_edit_started_from_an_older_version_is_refused(personas: Personas,
                                                          fresno: dict[str, Any],
                                                          login_as: Any) -> None:
    review = fresno["second"]
    url = reverse("implementation:review_edit", kwargs={"pk": review.pk})
    form = {"title": "Mid-year review", "kind": "team_meeting", "held_on": "2026-06-30",
            "notes": "", "edit_version": review.edit_version}
    client = login_as(personas.fresno.lead)
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "title": "Q2 review"})
    assert stale.status_code == 409
    assert "Someone else saved this review" in stale.text
    review.refresh_from_db()
    assert review.title == "Mid-year review"
    assert AuditEvent.objects.filter(object_type="implementation.review", action="update",
                                     object_id=str(review.pk)).count() == 1


def test_reviews_coming_are_counted_on_the_home_page(personas: Personas,
                                                    login_as: Any) -> None:
    today = timezone.localdate()
    _review(personas, today + datetime.timedelta(days=3), "Review next week")
    _review(personas, today + datetime.timedelta(days=40), "Review far off")
    _review(personas, today - datetime.timedelta(days=1), "Review yesterday")
    assert [r.title for r in owed.reviews_coming(personas.fresno.lead, today)] == [
        "Review next week"]
    assert not owed.reviews_coming(personas.humboldt.lead, today).exists()
    page = login_as(personas.fresno.lead).get(reverse("core:home")).text
    assert re.search(r'Reviews coming</a></th><td><strong>1<', page)


def test_the_api_gives_what_a_review_gathers_and_records_a_decision_with_its_step(
        personas: Personas, fresno: dict[str, Any], login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    review = fresno["second"]
    body = client.get(reverse("api:implementation_review", kwargs={"pk": review.pk})).json()
    assert (body["since"], body["until"], body["previous_review_id"]) == (
        "2026-04-01", "2026-06-30", fresno["first"].pk)
    assert (body["support_activities"], body["support_hours"]) == (3, "3.5")
    assert (body["items_open"], body["items_past_due"], body["stage_changes"]) == (2, 1, 1)
    listed = client.get(reverse("api:implementation_reviews"), {"site": "fresno",
                                                                 "year": 2026}).json()
    assert [r["title"] for r in listed] == ["Second quarter review", "First quarter review"]
    assert client.get(reverse("api:implementation_reviews"), {"year": 2025}).json() == []
    url = reverse("api:implementation_review_decision", kwargs={"pk": review.pk})
    refused = client.post(url, {"text": "Add a step", "objective_id": fresno["objective"].pk,
                                "responsible": "IT"}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["detail"].startswith("target_on:")
    made = client.post(url, {"text": "Add a step", "objective_id": fresno["objective"].pk,
                             "responsible": "IT", "target_on": "2026-10-01"},
                       content_type="application/json")
    assert made.status_code == 201
    action = PlanAction.objects.get(pk=made.json()["action_id"])
    assert (action.text, action.review_decision.review) == ("Add a step", review)
    coach = login_as(personas.fresno.coach)
    assert coach.post(url, {"text": "x"}, content_type="application/json").status_code == 403


def test_a_meeting_flags_its_items_past_due_as_the_plan_flags_steps(
        personas: Personas, fresno: dict[str, Any], login_as: Any) -> None:
    meeting = Meeting.objects.get(title="April meeting")
    page = login_as(personas.fresno.lead).get(
        reverse("implementation:meeting_detail", kwargs={"pk": meeting.pk})).text
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>.*?</tr>', page, re.S)
    flagged = re.findall(r'<tr><th scope="row">([^<]+)</th><td>[^<]*</td><td>[^<]*</td>'
                         r'<td><strong>Overdue</strong>', page)
    assert "Closed item" in rows
    # Due 2026-05-01 and 2026-08-01, still open: overdue today; the item done is not, though
    # its date (2026-04-09) passed too.
    assert flagged == ["Past due item", "Open item"]


def test_members_of_the_reviewing_team_see_its_review_and_others_outside_scope_do_not(
        personas: Personas, login_as: Any) -> None:
    lead, partner = personas.fresno.lead, personas.fresno.partner
    team = a_team(lead, personas.fresno.county, "Fresno implementation team")
    teams.add_member(lead, team, member=partner)
    with_team = reviews.create_review(lead, node=personas.fresno.county, team=team,
                                      kind=ReviewKind.TEAM_MEETING, held_on=TODAY,
                                      title="The team's review")
    without = _review(personas, TODAY, "The county's review")
    client = login_as(partner)
    page = client.get(reverse("implementation:review_detail", kwargs={"pk": with_team.pk}))
    assert page.status_code == 200
    assert "The team&#x27;s review" in page.text
    assert client.get(reverse("implementation:review_detail",
                              kwargs={"pk": without.pk})).status_code == 404
    listed = client.get(reverse("implementation:review_list")).text
    assert "The team&#x27;s review" in listed
    assert "The county&#x27;s review" not in listed
