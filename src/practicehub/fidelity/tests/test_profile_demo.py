"""The demo's Central support team: self and peer or lead ratings over four quarters that move."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from practicehub.accounts.demo import DEMO_LOGINS, ensure_person
from practicehub.accounts.services.tree import SHIPPED_TREE, load_tree
from practicehub.fidelity.demo_profile import load_profile_demo
from practicehub.fidelity.models import Observation
from practicehub.fidelity.services.profile_results import SELF, Selection, quarter_rows
from practicehub.implementation import demo
from practicehub.implementation.models import Team
from practicehub.practice_model.services import load_shipped_models
from practicehub.practice_model.services.profiles import competencies

pytestmark = pytest.mark.django_db


def test_the_central_team_is_rated_every_quarter_and_its_share_expected_rises() -> None:
    load_tree(SHIPPED_TREE)
    load_shipped_models()
    for login in DEMO_LOGINS:
        ensure_person(login)
    demo.load_demo(lambda message: None)  # the implementation demo runs the profile demo
    team = Team.objects.get(kind="rist", node__code="rta-central")
    ratings = Observation.profile_ratings.filter(support_team=team)
    assert ratings.count() == 48  # six people, self and one other, four quarters
    assert set(ratings.values_list("rater_relation", flat=True)) == {"self", "peer", "lead"}
    assert ratings.filter(worker__username="central.support", rater_relation="self").count() == 4
    today = timezone.localdate()
    rows = quarter_rows(Selection([team], today - timedelta(days=400), today, competencies()))
    own = [row.share().share or 0 for row in rows if row.bucket == SELF]
    others = [row.share().share or 0 for row in rows if row.bucket != SELF]
    assert len(own) == len(others) == 4
    assert not any(row.hidden for row in rows)
    assert own[-1] > own[0]
    assert others[-1] > others[0]
    load_profile_demo(lambda message: None)  # again: nothing added
    assert ratings.count() == 48
