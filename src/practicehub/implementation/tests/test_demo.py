from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from practicehub.accounts.demo import DEMO_LOGINS, ensure_person
from practicehub.accounts.services.tree import SHIPPED_TREE, load_tree
from practicehub.assessments import demo as assessments_demo
from practicehub.assessments.models import Administration, Vote
from practicehub.assessments.services.administrations import results_of
from practicehub.implementation import demo, demo_reviews
from practicehub.implementation.models import (
    Meeting,
    Plan,
    PlanKind,
    Review,
    ReviewDecision,
    StageRecord,
    SupportActivity,
    Team,
)
from practicehub.implementation.services import plans, reviews, support
from practicehub.practice_model.services import load_shipped_models


def _load() -> None:
    demo.load_demo(lambda message: None)
    assessments_demo.load_demo(lambda message: None)


@pytest.fixture
def seeded(db: None) -> None:
    load_tree(SHIPPED_TREE)
    load_shipped_models()
    for login in DEMO_LOGINS:
        ensure_person(login)
    _load()


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Team, Plan, Meeting, SupportActivity,
                                                     StageRecord, Administration, Vote, Review,
                                                     ReviewDecision))


def test_the_demo_builds_the_seed_world(seeded: None) -> None:
    sacramento = Team.objects.filter(node__code__startswith="sacramento")
    assert sacramento.count() == 3
    assert Team.objects.filter(kind="rist").count() == 5
    assert Plan.objects.filter(kind=PlanKind.EXTERNAL_SUPPORT).count() == 5
    sip = Plan.objects.get(title=demo.SIP_TITLE)
    # Seven actions: six done, one dropped and left out, so the plan is fully done.
    assert plans.plan_progress(sip) == Decimal(1)
    fpg = SupportActivity.objects.filter(provider_organisation__code="fpg-unc")
    visits = fpg.filter(kind="site_visit")
    assert visits.count() == 7
    assert support.total_minutes(visits) == 7 * 360
    assert fpg.filter(kind="coaching").count() == 20


def test_fresno_demo_users_have_teams_plans_and_support_of_their_own(seeded: None) -> None:
    lead = Team.objects.get(name="Fresno County implementation team")
    assert {m.user.username for m in lead.members.exclude(user=None) if m.user} == {
        "fresno.lead", "fresno.coach", "fresno.analyst", "fresno.partner", "central.support"}
    assert Plan.objects.filter(node__code="fresno-central-unit-a").count() == 1
    assert Plan.objects.filter(node__code="fresno-community-partners").count() == 1
    assert SupportActivity.objects.filter(providers__username="central.support",
                                          kind="site_visit").count() == 2


def test_every_demo_assessment_is_scored_at_two_points_in_time(seeded: None) -> None:
    assert Administration.objects.count() == 16
    assert all(results_of(a) is not None for a in Administration.objects.all())
    first, second = Administration.objects.filter(
        instrument__key="drivers-capacity", node__code="sacramento-cps").order_by(
        "administered_on")
    before, after = results_of(first), results_of(second)
    assert before is not None
    assert after is not None
    assert after.total.headline > before.total.headline


def test_the_demo_can_run_twice_without_duplicating_anything(seeded: None) -> None:
    counts = _counts()
    _load()
    assert _counts() == counts


def test_fresno_and_sacramento_review_each_of_the_last_four_quarters(seeded: None) -> None:
    today = timezone.localdate()
    for site in ("fresno", "sacramento"):
        past = Review.objects.filter(node__code=site, held_on__lt=today).order_by("held_on")
        ends = demo_reviews.quarter_ends(today)
        assert [r.held_on for r in past] == [e + datetime.timedelta(days=10) for e in ends]
        # Each review looks back to the one before it.
        latest = past.last()
        assert latest is not None
        assert reviews.window_of(latest, today).since == past[2].held_on + datetime.timedelta(1)
        made = ReviewDecision.objects.filter(review=latest, action__isnull=False).get()
        assert made.action is not None
        assert made.action.objective.plan.node.code == site
    coming = Review.objects.get(node__code="fresno", held_on__gt=today)
    assert (coming.held_on - today).days == 7
