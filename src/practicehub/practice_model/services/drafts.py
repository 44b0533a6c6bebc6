"""Editing a model: a published version never changes, so edits happen on a new draft version."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db import transaction

from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.services.versioning import Shown, save_if_current, shown_value
from practicehub.practice_model.errors import ModelChangeError, PublishedVersionError
from practicehub.practice_model.models import (
    Behavior,
    ModelVersion,
    ProfileDescriptor,
    ProfileLevel,
    Status,
    Wording,
)
from practicehub.practice_model.services.store import copy_version, mark_published

# The same rule as the file format's version label (schema $defs/code).
LABEL_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


def _check_label(key: str, label: str) -> None:
    if not LABEL_PATTERN.fullmatch(label):
        raise ModelChangeError(
            "a version label uses letters, digits, '.', '_' and '-', starts with a letter or "
            "digit and has at most 40 characters"
        )
    if ModelVersion.objects.filter(key=key, label=label).exists():
        raise ModelChangeError(f"{key}@{label} already exists; choose another version label")


def start_draft(version: ModelVersion, label: str) -> ModelVersion:
    """A new draft version ``label`` holding a deep copy of ``version``'s content."""
    _check_label(version.key, label)
    with transaction.atomic():
        draft = copy_version(version, label)
        record_event(Action.CREATE, obj=draft)
    return draft


def publish(version: ModelVersion) -> ModelVersion:
    """Publish a draft; from then on its content never changes."""
    with transaction.atomic():
        stored = ModelVersion.objects.select_for_update().get(pk=version.pk)
        if stored.is_published:
            raise ModelChangeError(f"{stored.ref} is already published")
        mark_published(stored)
        record_event(Action.PUBLISH, obj=stored)
    return stored


def _refuse_on_published(behavior: Behavior) -> None:
    if ModelVersion.objects.filter(pk=behavior.version_id, status=Status.PUBLISHED).exists():
        raise PublishedVersionError(f"behavior {behavior.code}")


def _checked_descriptors(
    behavior: Behavior, descriptors: Mapping[str, str]
) -> list[tuple[ProfileLevel, str]]:
    levels = {lv.code: lv for lv in ProfileLevel.objects.filter(version_id=behavior.version_id)}
    unknown = sorted(set(descriptors) - set(levels))
    if unknown:
        raise ModelChangeError(f"not profile levels of this model: {', '.join(unknown)}")
    checked = [(levels[code], text.strip()) for code, text in descriptors.items()]
    for level, text in checked:
        if not text:
            raise ModelChangeError(f"the descriptor for {level.label} cannot be blank")
    return checked


def _checked_fields(behavior: Behavior, text: str | None, wording: str | None) -> dict[str, str]:
    """The behavior's own fields that would change, after checking the new values."""
    changes: dict[str, str] = {}
    if text is not None:
        if not text.strip():
            raise ModelChangeError("the behavior text cannot be blank")
        changes["text"] = text.strip()
    if wording is not None:
        if wording not in Wording.values:
            raise ModelChangeError(f"unknown wording {wording!r}")
        changes["wording"] = wording
    return {name: value for name, value in changes.items() if getattr(behavior, name) != value}


def _write_descriptor(behavior: Behavior, level: ProfileLevel, text: str) -> bool:
    descriptor = ProfileDescriptor.objects.filter(behavior=behavior, level=level).first()
    if descriptor is not None and descriptor.text == text:
        return False
    descriptor = descriptor or ProfileDescriptor(behavior=behavior, level=level)
    descriptor.text = text
    descriptor.save()
    return True


def _shown(text: str | None, wording: str | None,
           descriptors: list[tuple[ProfileLevel, str]]) -> dict[str, Shown]:
    """A behavior's text, wording and descriptors as a refused stale edit shows them, keyed as
    the edit form names them."""
    shown: dict[str, Shown] = {}
    if text is not None:
        shown["text"] = ("Behavior", text.strip())
    if wording is not None:
        shown["wording"] = ("Wording", shown_value(Behavior, "wording", wording))
    shown |= {f"level_{level.code}": (level.label, descriptor) for level, descriptor in descriptors}
    return shown


def _saved(behavior: Behavior) -> dict[str, Shown]:
    found = ProfileDescriptor.objects.filter(behavior=behavior).select_related("level")
    return _shown(behavior.text, behavior.wording, [(d.level, d.text) for d in found])


def update_behavior(
    behavior: Behavior,
    *,
    text: str | None = None,
    descriptors: Mapping[str, str] | None = None,
    wording: str | None = None,
    expected_version: int | None = None,
) -> list[str]:
    """Change a behavior of a draft version; returns the names of the fields that changed.

    Raises ``PublishedVersionError`` on a published version and ``ModelChangeError`` for
    blank text or unknown profile levels, and ``StaleEdit`` when someone saved the behavior
    since ``expected_version`` and it now differs from what is sent; nothing is saved in any
    of these cases.
    """
    _refuse_on_published(behavior)
    fields = _checked_fields(behavior, text, wording)
    levels = _checked_descriptors(behavior, descriptors or {})
    with transaction.atomic():
        save_if_current(behavior, expected_version, fields,
                        yours=_shown(text, wording, levels), content=_saved)
        changed = [
            *fields,
            *(f"descriptors.{level.code}" for level, text in levels
              if _write_descriptor(behavior, level, text)),
        ]
        if changed:
            record_event(Action.UPDATE, obj=behavior, fields=changed)
    return changed
