from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from practicehub.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from practicehub.accounts.models import NodeKind, OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Role
from practicehub.practice_model.models import ModelVersion
from practicehub.site.services.demo import OVERRIDE


@pytest.fixture
def demo_installation(settings: Any) -> None:
    """A demo installation runs with DEBUG on (scripts/demo); tests otherwise run with it off."""
    settings.DEBUG = True


def _run_demo(*arguments: str) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", *arguments, stdout=out)
    return out.getvalue()


def _refusal(*arguments: str) -> str:
    with pytest.raises(CommandError) as refused:
        _run_demo(*arguments)
    return str(refused.value)


@pytest.mark.usefixtures("demo_installation")
@pytest.mark.django_db(transaction=True)
def test_the_demo_prints_a_login_per_role_that_signs_in() -> None:
    output = _run_demo()
    assert len({login.role for login in DEMO_LOGINS}) == 7
    for login in DEMO_LOGINS:
        assert login.username in output
        assert Client().login(username=login.username, password=DEMO_PASSWORD)
    assert DEMO_PASSWORD in output


@pytest.mark.usefixtures("demo_installation")
@pytest.mark.django_db(transaction=True)
def test_the_demo_can_run_twice_without_duplicating_anything() -> None:
    _run_demo()
    counts = (User.objects.count(), OrgNode.objects.count(), ModelVersion.objects.count())
    _run_demo()
    assert (User.objects.count(), OrgNode.objects.count(), ModelVersion.objects.count()) == counts
    assert OrgNode.objects.filter(kind=NodeKind.COUNTY).count() == 58
    assert set(ModelVersion.objects.values_list("key", flat=True)) == {"cfpm", "cpm", "is-profile"}


@pytest.mark.usefixtures("demo_installation")
@pytest.mark.django_db(transaction=True)
def test_the_demo_staffs_every_unit_of_the_seed_sites() -> None:
    _run_demo()
    for unit in OrgNode.objects.filter(kind=NodeKind.UNIT):
        assert unit.role_assignments.filter(role="practitioner").count() >= 4, unit.code


@pytest.mark.django_db
def test_with_debug_off_the_demo_refuses_and_creates_nobody() -> None:
    message = _refusal()
    assert "DEBUG is off" in message
    assert f"public password “{DEMO_PASSWORD}”" in message
    assert OVERRIDE in message
    assert "nothing was changed" in message
    assert not User.objects.exists()
    assert not OrgNode.objects.exists()


@pytest.mark.usefixtures("demo_installation")
@pytest.mark.django_db
def test_a_database_with_an_account_the_demo_did_not_make_is_refused_naming_it() -> None:
    User.objects.create_user("maria.county", email="maria@county.example")
    message = _refusal()
    assert "holds 1 account the demo did not create (maria.county)" in message
    assert "DEBUG" not in message
    assert list(User.objects.values_list("username", flat=True)) == ["maria.county"]
    assert not OrgNode.objects.exists()


@pytest.mark.usefixtures("demo_installation")
@pytest.mark.django_db
def test_a_tree_with_places_of_its_own_is_refused_naming_them() -> None:
    county = OrgNode.objects.create(code="ca", name="California", kind=NodeKind.STATE)
    OrgNode.objects.create(code="north-valley-agency", name="North Valley", kind=NodeKind.COUNTY,
                           parent=county)
    message = _refusal()
    assert "1 place the demo's tree does not (north-valley-agency)" in message
    assert OrgNode.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_override_builds_it_anyway_and_tags_only_the_demo_accounts() -> None:
    """With DEBUG off and another account in the database, as `bench web` builds its scratch
    demo; the people list then tells the demo's accounts from the other one."""
    other = User.objects.create_user("maria.county", email="maria@county.example",
                                      first_name="Maria", last_name="Quintero")
    _run_demo(OVERRIDE)
    demo = User.objects.filter(is_demo_account=True)
    assert demo.filter(username="state.admin").exists()
    assert demo.count() == User.objects.count() - 1
    RoleAssignment.objects.create(user=other, role=Role.COUNTY_LEAD,
                                  node=OrgNode.objects.get(code="fresno"))
    client = Client()
    assert client.login(username="state.admin", password=DEMO_PASSWORD)
    rows = {name: client.get("/accounts/people/", {"q": name}).content.decode()
            for name in ("Quintero", "Okafor")}
    assert "Maria Quintero" in rows["Quintero"]
    assert "Demo account" not in rows["Quintero"]
    assert "Sam Okafor" in rows["Okafor"]
    assert "Demo account" in rows["Okafor"]
