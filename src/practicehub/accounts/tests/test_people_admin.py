from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from practicehub.accounts.models import OrgNode, RoleAssignment, User
from practicehub.accounts.services.people import save_node
from practicehub.accounts.services.tree import CycleRefused
from practicehub.audit.actions import Action
from practicehub.audit.models import AuditEvent
from practicehub.testing.personas import Personas

NEW_PERSON = {"username": "new.worker", "first_name": "Nova", "last_name": "Quist",
              "email": "nova@example.org", "password": "a long enough passphrase"}


def test_an_administrator_adds_a_person_and_it_is_audited(personas: Personas,
                                                          login_as: Any) -> None:
    response = login_as(personas.state_admin).post(reverse("accounts:person_create"), NEW_PERSON)
    person = User.objects.get(username="new.worker")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="accounts.user",
                                 object_id=str(person.pk))
    assert "password" in event.changed_fields
    assert "a long enough passphrase" not in str(event.__dict__)


def test_a_bad_person_form_names_each_field_and_saves_nothing(personas: Personas,
                                                              login_as: Any) -> None:
    before = User.objects.count()
    bad = {**NEW_PERSON, "username": "fresno_coach", "email": "not-an-email", "password": "short"}
    response = login_as(personas.state_admin).post(reverse("accounts:person_create"), bad)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Somebody already has this user name." in body
    assert "Enter a valid email address." in body
    assert "This password is too short." in body
    assert User.objects.count() == before


def test_granting_and_revoking_a_role_is_audited(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.state_admin)
    worker = personas.humboldt.practitioner
    node = OrgNode.objects.get(code="humboldt-eureka")
    client.post(reverse("accounts:role_grant", args=[worker.pk]), {"role": "coach",
                                                                   "node": node.pk})
    assignment = RoleAssignment.objects.get(user=worker, role="coach", node=node)
    client.post(reverse("accounts:role_revoke", args=[worker.pk, assignment.pk]))
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    actions = list(AuditEvent.objects.filter(object_type="accounts.user", object_id=str(worker.pk))
                   .values_list("action", flat=True))
    assert Action.ROLE_GRANT in actions
    assert Action.ROLE_REVOKE in actions


def test_a_county_lead_may_not_add_people(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    assert client.get(reverse("accounts:person_create")).status_code == 403
    assert client.post(reverse("accounts:person_create"), NEW_PERSON).status_code == 403
    assert not User.objects.filter(username="new.worker").exists()


def test_a_coach_may_not_grant_roles(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    response = client.post(reverse("accounts:role_grant", args=[personas.fresno.practitioner.pk]),
                           {"role": "state_admin", "node": OrgNode.objects.get(code="ca").pk})
    assert response.status_code == 403
    assert not personas.fresno.practitioner.role_assignments.filter(role="state_admin").exists()


def test_an_administrator_adds_a_unit_under_an_office(personas: Personas, login_as: Any) -> None:
    office = personas.fresno.office
    response = login_as(personas.state_admin).post(
        reverse("accounts:node_create"),
        {"name": "Fresno Central Unit C", "code": "fresno-central-unit-c", "kind": "unit",
         "partner_kind": "", "parent": office.pk, "fips": ""})
    assert response.status_code == 302
    unit = OrgNode.objects.get(code="fresno-central-unit-c")
    assert unit.path == office.path + "fresno-central-unit-c/"
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="accounts.orgnode",
                                     object_id=str(unit.pk)).exists()


def test_a_node_cannot_move_inside_its_own_subtree(personas: Personas, login_as: Any) -> None:
    county = personas.fresno.county
    response = login_as(personas.state_admin).post(
        reverse("accounts:node_edit", args=[county.pk]),
        {"name": county.name, "code": county.code, "kind": "county", "partner_kind": "",
         "parent": personas.fresno.office.pk, "fips": county.fips})
    assert "cannot be moved inside its own subtree" in response.content.decode()
    county.refresh_from_db()
    assert county.parent is not None
    assert county.parent.code == "rta-central"


def test_the_service_refuses_a_move_inside_the_own_subtree_whatever_the_form(
        personas: Personas) -> None:
    """The tree's invariant lives in save_node, not only in the form: a caller that skips the
    form (a command, the API, a script) is refused and nothing moves."""
    county, office = personas.fresno.county, personas.fresno.office
    before = OrgNode.objects.get(pk=county.pk).path
    county.parent = office
    with pytest.raises(CycleRefused, match="cannot be moved inside its own subtree"):
        save_node(personas.state_admin, county, ["parent"])
    assert OrgNode.objects.get(pk=county.pk).path == before
    assert OrgNode.objects.get(pk=office.pk).path.startswith(before)
