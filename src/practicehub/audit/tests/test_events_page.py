from __future__ import annotations

from typing import Any

from django.urls import reverse

from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.testing.personas import Personas


def test_state_administrators_browse_the_log(personas: Personas, login_as: Any) -> None:
    record_event(Action.EXPORT, object_type="accounts.user", object_id="42")
    page = login_as(personas.state_admin).get(reverse("audit:events"))
    assert page.status_code == 200
    assert "accounts.user #42" in page.content.decode()


def test_it_filters_by_action(personas: Personas, login_as: Any) -> None:
    record_event(Action.EXPORT, object_type="accounts.user", object_id="42")
    record_event(Action.VIEW, object_type="accounts.user", object_id="43")
    page = login_as(personas.state_admin).get(reverse("audit:events"), {"action": "view"})
    body = page.content.decode()
    assert "#43" in body
    assert "#42" not in body


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
