"""Filtering the audit log for the people who review it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from practicehub.audit.models import AuditEvent


@dataclass(frozen=True)
class EventFilter:
    action: str = ""
    actor: str = ""
    object_type: str = ""
    node_code: str = ""
    since: date | None = None
    until: date | None = None
    text: str = ""


def filter_events(events: QuerySet[AuditEvent], wanted: EventFilter) -> QuerySet[AuditEvent]:
    if wanted.action:
        events = events.filter(action=wanted.action)
    if wanted.actor:
        events = events.filter(actor_label__icontains=wanted.actor)
    if wanted.object_type:
        events = events.filter(object_type=wanted.object_type)
    if wanted.node_code:
        events = events.filter(node__path__contains=f"/{wanted.node_code}/")
    if wanted.since:
        events = events.filter(occurred_at__date__gte=wanted.since)
    if wanted.until:
        events = events.filter(occurred_at__date__lte=wanted.until)
    if wanted.text:
        words = wanted.text.strip()
        events = events.filter(
            Q(actor_label__icontains=words) | Q(object_type__icontains=words)
            | Q(object_id=words) | Q(object_label__icontains=words)
            | Q(node__name__icontains=words) | Q(request_id__startswith=words))
    return events.select_related("node")


def object_types() -> list[str]:
    return list(
        AuditEvent.objects.exclude(object_type="").order_by("object_type")
        .values_list("object_type", flat=True).distinct()
    )
