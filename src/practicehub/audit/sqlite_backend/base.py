"""SQLite, emptied the way PostgreSQL is: a flush passes the audit triggers by, and only a flush.

PostgreSQL flushes with TRUNCATE, which row triggers do not see. SQLite flushes with DELETE, which
the audit table's DELETE trigger refuses; so a flush drops the trigger, deletes, and creates it
again from its own stored definition, all inside the flush's one transaction. Every other DELETE,
through the ORM or raw SQL, still meets the trigger.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations

AUDIT_TABLE = "audit_auditevent"


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        statements: list[str] = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not any(AUDIT_TABLE in statement for statement in statements):
            return statements
        triggers = self._delete_triggers()
        drops = [f"DROP TRIGGER {self.quote_name(name)};" for name, _ in triggers]
        creates = [f"{sql};" for _, sql in triggers]
        return [*drops, *statements, *creates]

    def _delete_triggers(self) -> list[tuple[str, str]]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
                " AND sql LIKE %s",
                [AUDIT_TABLE, "%BEFORE DELETE%"],
            )
            return [(str(name), str(sql)) for name, sql in cursor.fetchall()]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
