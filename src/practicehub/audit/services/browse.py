"""Filtering the audit log for the people who review it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils.text import capfirst

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


def _kind(object_type: str) -> str:
    try:
        return capfirst(str(apps.get_model(object_type)._meta.verbose_name))
    except (LookupError, ValueError):
        return object_type


def record_names(events: Sequence[AuditEvent]) -> list[tuple[AuditEvent, str]]:
    """Each event with the record it is about as a person reads it ("User: Fresno Worker",
    "Observation: …"), looked up once per kind for the page; a page read names the page."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.object_id and not event.object_label and "." in event.object_type:
            wanted.setdefault(event.object_type, set()).add(event.object_id)
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        for record in model._default_manager.filter(pk__in=ids):
            names[(object_type, str(record.pk))] = str(record)
    return [(event, _record_name(event, names)) for event in events]


def _record_name(event: AuditEvent, names: dict[tuple[str, str], str]) -> str:
    if not event.object_type:
        return ""
    if ":" in event.object_type:
        return f"Page {event.object_label or event.object_type}"
    name = event.object_label or names.get((event.object_type, event.object_id), "")
    kind = _kind(event.object_type)
    if name:
        return f"{kind}: {name}"
    return f"{kind} (no longer held)" if event.object_id else kind
