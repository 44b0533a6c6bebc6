from __future__ import annotations

from typing import Any

from django.urls import reverse

from practicehub.accounts.models import OrgNode, User
from practicehub.testing.personas import Personas


def test_a_fresno_coach_gets_404_on_a_humboldt_site(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    response = client.get(reverse("accounts:node", args=[personas.humboldt.office.pk]))
    assert response.status_code == 404


def test_a_fresno_coach_gets_404_on_a_humboldt_worker(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    response = client.get(reverse("accounts:person", args=[personas.humboldt.practitioner.pk]))
    assert response.status_code == 404


def test_a_fresno_coach_sees_their_own_office_and_workers(personas: Personas,
                                                          login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    assert client.get(reverse("accounts:node", args=[personas.fresno.office.pk])).status_code == 200
    page = client.get(reverse("accounts:person", args=[personas.fresno.practitioner.pk]))
    assert page.status_code == 200


def test_a_coach_cannot_reach_the_county_above_their_office(personas: Personas,
                                                            login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    response = client.get(reverse("accounts:node", args=[personas.fresno.county.pk]))
    assert response.status_code == 404


def test_a_practitioner_sees_only_themselves_among_people(personas: Personas) -> None:
    visible = set(User.objects.visible_to(personas.fresno.practitioner))
    assert visible == {personas.fresno.practitioner}


def test_a_county_lead_sees_every_person_of_their_county_and_nobody_else(
    personas: Personas,
) -> None:
    visible = set(User.objects.visible_to(personas.fresno.lead))
    assert personas.fresno.coach in visible
    assert personas.fresno.practitioner in visible
    assert personas.humboldt.coach not in visible
    assert personas.state_admin not in visible


def test_regional_support_reaches_the_counties_of_its_region_only(personas: Personas) -> None:
    codes = set(OrgNode.objects.visible_to(personas.fresno.regional_support)
                .values_list("code", flat=True))
    assert {"fresno", "kern", "fresno-central-unit-a"} <= codes
    assert "humboldt" not in codes
    assert "ca" not in codes


def test_the_state_administrator_reaches_every_node(personas: Personas) -> None:
    assert OrgNode.objects.visible_to(personas.state_admin).count() == OrgNode.objects.count()


def test_an_anonymous_user_reaches_nothing(personas: Personas) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not OrgNode.objects.visible_to(AnonymousUser()).exists()
    assert not User.objects.visible_to(AnonymousUser()).exists()


def test_the_people_list_hides_other_counties(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.lead)
    page = client.get(reverse("accounts:people")).content.decode()
    assert personas.fresno.coach.username in page
    assert personas.humboldt.coach.username not in page


def test_the_tree_page_shows_only_the_users_subtree(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.humboldt.lead)
    page = client.get(reverse("accounts:org_tree")).content.decode()
    assert "Humboldt Eureka office" in page
    assert "Fresno Central office" not in page


def test_a_deactivated_user_reaches_nothing(personas: Personas) -> None:
    coach = personas.fresno.coach
    coach.is_active = False
    coach.save()
    assert not OrgNode.objects.visible_to(User.objects.get(pk=coach.pk)).exists()
