"""Refuse DELETE of audit events on SQLite too, as PostgreSQL has since 0002.

Emptying the whole database (`practicehub flush`, and the test runner between transactional tests)
still works: on SQLite the project's database backend lifts this trigger for the flush and puts it
back in the same transaction (practicehub.audit.sqlite_backend), as PostgreSQL's TRUNCATE passes
its row triggers by (docs/adr/0003-append-only-audit.md).
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_UP = """
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_event_no_delete;"


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
