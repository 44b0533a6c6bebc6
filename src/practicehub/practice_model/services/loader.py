"""Loading a model file: check everything, then write it in one transaction or not at all."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.textfiles import UnreadableFile, read_text
from practicehub.core.yamlfiles import Document, read_document
from practicehub.practice_model.errors import ModelFileError, Problem
from practicehub.practice_model.models import ModelVersion
from practicehub.practice_model.services.schema import schema_problems
from practicehub.practice_model.services.spec import ModelSpec, spec_from_data
from practicehub.practice_model.services.store import read_spec, write_spec
from practicehub.practice_model.services.validation import content_problems


class Outcome(enum.StrEnum):
    CREATED = "created"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class LoadResult:
    version: ModelVersion
    outcome: Outcome

    @property
    def message(self) -> str:
        ref = self.version.ref
        if self.outcome is Outcome.UNCHANGED:
            return f"{ref} is already loaded with the same content; nothing changed."
        verb = "Replaced draft" if self.outcome is Outcome.REPLACED else "Loaded"
        return f"{verb} {ref} ({self.version.get_status_display().lower()})."


@dataclass(frozen=True)
class ParsedModel:
    spec: ModelSpec
    document: Document


def parse_model_text(text: str, source: str) -> ParsedModel:
    """Check ``text`` completely; raise ``ModelFileError`` listing every problem found."""
    document, problems = read_document(text, source)
    if document.parsed:
        problems += schema_problems(document)
        problems += content_problems(document)
    if problems:
        raise ModelFileError(problems)
    return ParsedModel(spec_from_data(document.data), document)


def read_model_file(path: Path | str) -> str:
    try:
        return read_text(path)
    except UnreadableFile as unreadable:
        raise ModelFileError([Problem(str(path), None, unreadable.reason)]) from None


def parse_model_file(path: Path | str) -> ParsedModel:
    return parse_model_text(read_model_file(path), str(path))


def _replace_or_keep(parsed: ParsedModel, existing: ModelVersion) -> LoadResult | None:
    """The result when ``existing`` stays as it is; None once a draft has been cleared away."""
    spec = parsed.spec
    if existing.is_published:
        if read_spec(existing) == spec:
            return LoadResult(existing, Outcome.UNCHANGED)
        raise ModelFileError([
            parsed.document.problem(
                ("version",),
                f"{spec.ref} is published and a published version cannot change; "
                "give it a new version",
            )
        ])
    try:
        existing.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ModelFileError([
            parsed.document.problem(
                ("version",),
                f"draft {spec.ref} is already in use elsewhere and cannot be replaced; "
                "give it a new version",
            )
        ]) from exc
    return None


def load_parsed(parsed: ParsedModel) -> LoadResult:
    """Write a checked model: new, replacing a draft of the same version, or unchanged."""
    spec = parsed.spec
    with transaction.atomic():
        existing = (
            ModelVersion.objects.select_for_update()
            .filter(key=spec.key, label=spec.version)
            .first()
        )
        outcome = Outcome.CREATED
        if existing is not None:
            kept = _replace_or_keep(parsed, existing)
            if kept is not None:
                return kept
            outcome = Outcome.REPLACED
        version = write_spec(spec)
        record_event(Action.CREATE, obj=version)
    return LoadResult(version, outcome)


def load_model_text(text: str, source: str = "<text>") -> LoadResult:
    return load_parsed(parse_model_text(text, source))


def load_model_file(path: Path | str) -> LoadResult:
    """Load one YAML (or JSON) model file; raises ``ModelFileError`` and writes nothing on error."""
    return load_parsed(parse_model_file(path))
