"""Recording reads and downloads of person-level data, in one place for every page and API route.

The permission map marks which URL names return person-level data (``person_level`` in each
app's ``permissions.py``); the audit middleware calls ``record_read`` after each response. Views
never record views themselves.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.http import HttpRequest, HttpResponseBase

from practicehub.accounts.roles import PersonLevel, Rule
from practicehub.audit.actions import Action
from practicehub.audit.services.events import record_event

READ_METHODS = frozenset({"GET", "HEAD"})


def is_download(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Disposition", "")).lower().startswith("attachment")


def _record(marking: PersonLevel, kwargs: dict[str, object]) -> models.Model | None:
    if not marking.record or "pk" not in kwargs:
        return None
    model = apps.get_model(marking.record)
    found: models.Model | None = model._default_manager.filter(pk=kwargs["pk"]).first()
    return found


def _own(marking: PersonLevel, record: models.Model | None, request: HttpRequest) -> bool:
    """Whether the record is about the reader themself (reading your own record is not audited)."""
    if record is None or not marking.subject:
        return False
    return bool(getattr(record, marking.subject) == request.user.pk)


def _action(rule: Rule, request: HttpRequest, response: HttpResponseBase) -> Action | None:
    """Which event a response calls for: every download is an export; a successful read of a
    person-level URL is a view."""
    if request.method not in READ_METHODS or not 200 <= response.status_code < 300:
        return None
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return None
    if is_download(response):
        return Action.EXPORT
    marking = rule.person_level
    if marking is None or (marking.when is not None and not marking.when(request)):
        return None
    return Action.VIEW


def record_read(request: HttpRequest, url_name: str, rule: Rule, kwargs: dict[str, object],
                response: HttpResponseBase) -> None:
    action = _action(rule, request, response)
    if action is None:
        return
    marking = rule.person_level or PersonLevel()
    record = _record(marking, kwargs)
    if _own(marking, record, request):
        return
    where = str(getattr(request, "audited_path", "") or request.get_full_path())[:200]
    if record is not None:
        record_event(action, obj=record)
        return
    key = next((str(value) for value in kwargs.values()), "")
    record_event(action, object_type=url_name, object_id=key[:64], object_label=where)
