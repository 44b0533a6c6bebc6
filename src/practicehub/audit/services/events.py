"""Writing audit events. Services call ``record_event``; nothing else writes the table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models

from practicehub.audit.actions import Action
from practicehub.audit.models import AuditEvent
from practicehub.core.request_context import current_request

if TYPE_CHECKING:
    from practicehub.accounts.models import OrgNode, User


def _request_actor() -> User | None:
    context = current_request.get()
    if context is None or context.request is None:
        return None
    user = getattr(context.request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user  # type: ignore[no-any-return]


def _node_of(obj: models.Model | None) -> OrgNode | None:
    """The tree node a record belongs to, when it has one, so events can be filtered by site."""
    if obj is None:
        return None
    from practicehub.accounts.models import OrgNode

    if isinstance(obj, OrgNode):
        return obj
    node = getattr(obj, "node", None)
    return node if isinstance(node, OrgNode) else None


def record_event(
    action: Action,
    *,
    obj: models.Model | None = None,
    actor: User | None = None,
    actor_label: str = "",
    node: OrgNode | None = None,
    fields: Iterable[str] = (),
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
) -> AuditEvent:
    """Append one event. ``fields`` are the names of changed fields, never their values."""
    actor = actor or _request_actor()
    context = current_request.get()
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else ""),
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        object_label=(object_label or (str(obj) if obj is not None else ""))[:200],
        node=node or _node_of(obj),
        request_id=context.request_id if context else "",
        ip_address=context.ip_address if context else None,
        changed_fields=sorted(set(fields)),
    )
