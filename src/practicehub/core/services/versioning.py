"""Optimistic locking for every record two people can edit (ADR 0009).

A page or API reply hands out the record's ``edit_version``; the save names it back. The write is
one conditional UPDATE (``... WHERE pk = %s AND edit_version = %s``) that also counts the edit, so
two saves started from the same version cannot both succeed, on SQLite or PostgreSQL, and no lock
is held while a person types. A save started from an older version is refused with
``StaleEdit``, which names each field whose saved value differs from what the person sent.

Edits whose content lives in child rows (ratings, scores, descriptors) claim the parent's version
the same way inside their transaction, then write the children; ``content`` and ``yours`` say how
to show those children for the refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.db import models
from django.db.models import F, Field, Model
from django.utils.text import capfirst


class VersionedModel(models.Model):
    """A record people edit: ``edit_version`` counts its saved edits, and a save must name the
    one it started from.

    Named ``edit_version`` because ``version`` already means a practice model's or an
    instrument's version in this project.
    """

    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


# How one field reads to a person: (label, value as shown).
Shown = tuple[str, str]
EMPTY = "(empty)"


@dataclass(frozen=True)
class FieldChange:
    """One field whose saved value differs from the value the person sent."""

    field: str
    label: str
    saved: str
    yours: str


class StaleEdit(Exception):
    """Someone saved the record after this edit started from it; nothing was written."""

    def __init__(self, record: Model, changes: list[FieldChange],
                 current_version: int | None) -> None:
        self.what = str(record._meta.verbose_name)
        self.changes = changes
        self.current_version = current_version  # None: the record is gone
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.current_version is None:
            return f"This {self.what} was deleted after you opened it; nothing was saved."
        opened = (f"Someone else saved this {self.what} after you opened it, so nothing of "
                  "yours was saved.")
        if not self.changes:
            return f"{opened} Open it again to see what is saved now."
        differing = ", ".join(change.label for change in self.changes)
        return f"{opened} Now saved differently from what you sent: {differing}."

    @property
    def summary(self) -> str:
        """Each difference on one line, for places that show a message instead of the form."""
        return " ".join(f"{change.label}: now saved “{change.saved}”, yours “{change.yours}”."
                        for change in self.changes)

    def as_json(self) -> dict[str, Any]:
        return {"detail": self.message, "edit_version": self.current_version,
                "changed": [asdict(change) for change in self.changes]}


def shown_value(model: type[Model], name: str, value: Any) -> str:
    """A field's value as a person reads it: a choice's label, "(empty)" for nothing."""
    field = model._meta.get_field(name)
    if isinstance(field, Field) and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None or value == "":
        return EMPTY
    return str(value)


def shown_fields(model: type[Model], values: Mapping[str, Any]) -> dict[str, Shown]:
    return {name: (_label(model, name), shown_value(model, name, value))
            for name, value in values.items()}


def _label(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(capfirst(field.verbose_name)) if isinstance(field, Field) else name


def differences(saved: Mapping[str, Shown], yours: Mapping[str, Shown],
                whole: bool = False) -> list[FieldChange]:
    """Entries whose saved value differs from the one sent; with ``whole``, the edit replaces
    everything, so saved entries left out of it differ too."""
    sent = dict(yours)
    if whole:
        sent |= {key: (label, EMPTY) for key, (label, _) in saved.items() if key not in sent}
    return [FieldChange(field=key, label=label, saved=saved.get(key, (label, EMPTY))[1],
                        yours=value)
            for key, (label, value) in sent.items()
            if saved.get(key, (label, EMPTY))[1] != value]


def save_if_current[V: VersionedModel](
        record: V, expected_version: int | None, changes: Mapping[str, Any] | None = None, *,
        yours: Mapping[str, Shown] | None = None,
        content: Callable[[V], Mapping[str, Shown]] | None = None, whole: bool = False,
        strict: bool = False) -> None:
    """Write ``changes`` to ``record`` and count the edit, only if nobody saved it since
    ``expected_version`` (the version the person's page or request started from; ``None``: the
    one ``record`` was loaded with).

    Raises ``StaleEdit`` naming what differs between the saved record and what the person sent
    (``yours``; by default the ``changes`` themselves, compared field by field, or through
    ``content`` for edits of child rows; ``whole`` when the edit replaces all of that content).
    When nothing sent differs from what is saved, nothing would be lost, so the edit goes ahead
    on the newer version, unless ``strict`` (for acts such as submitting, whose meaning depends
    on what the person saw). Call inside the transaction that writes any child rows, so the
    claim and the rows commit together.
    """
    fields = dict(changes or {})
    model = type(record)
    rows = model._default_manager.filter(pk=record.pk)
    mine = dict(yours) if yours is not None else shown_fields(model, fields)

    def read(fresh: V) -> Mapping[str, Shown]:
        if content is not None:
            return content(fresh)
        return shown_fields(model, {name: getattr(fresh, name) for name in fields})

    expected = record.edit_version if expected_version is None else expected_version
    for attempt in (1, 2):
        if rows.filter(edit_version=expected).update(edit_version=F("edit_version") + 1,
                                                     **fields):
            break
        fresh = rows.first()
        if fresh is None:
            raise StaleEdit(record, [], None)
        found = differences(read(fresh), mine, whole)
        if found or strict or attempt == 2:
            raise StaleEdit(fresh, found, fresh.edit_version)
        expected = fresh.edit_version
    for name, value in fields.items():
        setattr(record, name, value)
    record.edit_version = expected + 1
