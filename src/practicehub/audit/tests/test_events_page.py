from __future__ import annotations

from typing import Any

from django.urls import reverse

from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.testing.personas import Personas


def test_state_administrators_browse_the_log_naming_each_record(
        personas: Personas, login_as: Any) -> None:
    worker = personas.fresno.practitioner
    record_event(Action.EXPORT, object_type="accounts.user", object_id=str(worker.pk))
    page = login_as(personas.state_admin).get(reverse("audit:events"))
    assert page.status_code == 200
    assert f"User: {worker}" in page.content.decode()
    assert f"accounts.user #{worker.pk}" not in page.content.decode()


def test_a_record_no_longer_held_says_so_instead_of_a_number(
        personas: Personas, login_as: Any) -> None:
    record_event(Action.EXPORT, object_type="accounts.user", object_id="999999")
    body = login_as(personas.state_admin).get(reverse("audit:events")).content.decode()
    assert "User (no longer held)" in body
    assert "#999999" not in body


def test_it_filters_by_action(personas: Personas, login_as: Any) -> None:
    fresno = personas.fresno
    record_event(Action.EXPORT, object_type="accounts.user", object_id=str(fresno.coach.pk))
    record_event(Action.VIEW, object_type="accounts.user", object_id=str(fresno.evaluator.pk))
    page = login_as(personas.state_admin).get(reverse("audit:events"), {"action": "view"})
    body = page.content.decode()
    assert f"User: {fresno.evaluator}" in body
    assert f"User: {fresno.coach}" not in body


def test_it_answers_htmx_with_the_results_only(personas: Personas, login_as: Any) -> None:
    page = login_as(personas.state_admin).get(reverse("audit:events"),
                                              headers={"HX-Request": "true"})
    body = page.content.decode()
    assert 'id="results"' in body
    assert "<html" not in body


def test_a_bad_date_range_is_named_and_shows_everything(personas: Personas,
                                                        login_as: Any) -> None:
    page = login_as(personas.state_admin).get(
        reverse("audit:events"), {"since": "2026-05-01", "until": "2026-04-01"})
    assert "The end date is before the start date." in page.content.decode()


def test_a_county_lead_may_not_read_the_audit_log(personas: Personas, login_as: Any) -> None:
    assert login_as(personas.fresno.lead).get(reverse("audit:events")).status_code == 403


def test_viewing_a_person_is_audited(personas: Personas, login_as: Any) -> None:
    from practicehub.audit.models import AuditEvent

    client = login_as(personas.fresno.coach)
    client.get(reverse("accounts:person", args=[personas.fresno.practitioner.pk]))
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert event.actor == personas.fresno.coach
    assert event.object_id == str(personas.fresno.practitioner.pk)
