from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from practicehub.audit.actions import Action
from practicehub.audit.models import AppendOnlyError, AuditEvent
from practicehub.audit.services import record_event


@pytest.fixture
def event(db: None) -> AuditEvent:
    return record_event(Action.EXPORT, object_type="accounts.user", object_id="7")


def test_an_event_cannot_be_changed_through_the_application(event: AuditEvent) -> None:
    event.action = Action.VIEW
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.VIEW)
    assert AuditEvent.objects.get(pk=event.pk).action == Action.EXPORT


def test_an_event_cannot_be_deleted_through_the_application(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_a_raw_update(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'view' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == Action.EXPORT


def test_an_event_keeps_field_names_but_never_values(db: None) -> None:
    saved = record_event(Action.UPDATE, object_type="x.y", object_id="1",
                         fields=["password", "email", "email"])
    assert saved.changed_fields == ["email", "password"]


def test_the_database_refuses_a_raw_delete(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_emptying_the_database_between_tests_still_works_with_the_triggers() -> None:
    # Django's test runner and `practicehub flush` empty every table (DELETE on SQLite, TRUNCATE on
    # PostgreSQL); the trigger stays in place afterwards.
    record_event(Action.EXPORT, object_type="accounts.user", object_id="8")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    saved = record_event(Action.EXPORT, object_type="accounts.user", object_id="9")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [saved.pk])
    assert AuditEvent.objects.filter(pk=saved.pk).exists()
