from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from practicehub.accounts.models import NodeKind, OrgNode, User
from practicehub.core.services.demo import DEMO_LOGINS, DEMO_PASSWORD
from practicehub.practice_model.models import ModelVersion


def _run_demo() -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_demo_prints_a_login_per_role_that_signs_in() -> None:
    output = _run_demo()
    assert len({login.role for login in DEMO_LOGINS}) == 7
    for login in DEMO_LOGINS:
        assert login.username in output
        assert Client().login(username=login.username, password=DEMO_PASSWORD)
    assert DEMO_PASSWORD in output


@pytest.mark.django_db(transaction=True)
def test_the_demo_can_run_twice_without_duplicating_anything() -> None:
    _run_demo()
    counts = (User.objects.count(), OrgNode.objects.count(), ModelVersion.objects.count())
    _run_demo()
    assert (User.objects.count(), OrgNode.objects.count(), ModelVersion.objects.count()) == counts
    assert OrgNode.objects.filter(kind=NodeKind.COUNTY).count() == 58
    assert set(ModelVersion.objects.values_list("key", flat=True)) == {"cfpm", "cpm"}


@pytest.mark.django_db(transaction=True)
def test_the_demo_staffs_every_unit_of_the_seed_sites() -> None:
    _run_demo()
    for unit in OrgNode.objects.filter(kind=NodeKind.UNIT):
        assert unit.role_assignments.filter(role="practitioner").count() >= 4, unit.code
