"""The audit log as a table for state administrators: every event the audit page's filters
match (not one page of them), newest first, with the same columns as the page."""

from __future__ import annotations

from django.db.models import QuerySet

from practicehub.audit.models import AuditEvent
from practicehub.audit.services.browse import EventFilter, filter_events, record_names
from practicehub.core.errors import Refused
from practicehub.core.services.tables import Table

# Excel holds about a million rows; past this a person should narrow the dates or the actor.
MOST_ROWS = 200_000
HEADERS = ["When (UTC)", "Actor", "Action", "Record", "Site", "Site code", "Changed fields",
           "Request", "IP"]


def _described(wanted: EventFilter) -> str:
    parts = [f"{name}: {value}" for name, value in (
        ("action", wanted.action), ("actor", wanted.actor), ("record type", wanted.object_type),
        ("site code", wanted.node_code), ("from", wanted.since), ("to", wanted.until),
        ("words", wanted.text)) if value]
    return "Filters: " + ("; ".join(parts) if parts else "none (every event)")


def events_count(events: QuerySet[AuditEvent], wanted: EventFilter) -> int:
    """Rows ``events_table`` gives, or 0 past MOST_ROWS (refused in the request, not queued)."""
    count = filter_events(events, wanted).count()
    return count if count <= MOST_ROWS else 0


def events_table(events: QuerySet[AuditEvent], wanted: EventFilter) -> Table:
    """The events ``wanted`` picks out of ``events``; refused past MOST_ROWS."""
    picked = filter_events(events, wanted).order_by("-occurred_at", "-pk")
    count = picked.count()
    if count > MOST_ROWS:
        raise Refused(f"The filters match {count:,} events, more than the {MOST_ROWS:,} one file "
                      "holds: narrow the dates (From, To), the action or the actor.")
    rows = [[event.occurred_at.strftime("%Y-%m-%d %H:%M:%S"), event.actor_label,
             event.get_action_display(), record, event.node.name if event.node else "",
             event.node.code if event.node else "", ", ".join(event.changed_fields or []),
             event.request_id, event.ip_address or ""]
            for event, record in record_names(list(picked))]
    return Table(key="audit-log", title="Audit log", headers=HEADERS, rows=rows,
                 notes=(_described(wanted), f"{count:,} events, newest first."))
