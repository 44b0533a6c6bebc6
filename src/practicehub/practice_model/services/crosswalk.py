"""Loading a crosswalk file: how one published version's elements and behaviors map onto
another's (docs/practice-model-format.md#crosswalks).

The file is read as every YAML data file is (``core/yamlfiles.py``), so each problem comes back
as ``FILE:LINE: message`` and nothing is written while any remains. Loading the same content
again changes nothing; other content for a pair already loaded replaces its links only when
asked to (``replace=True``, ``--replace`` on the command line).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import transaction

from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.textfiles import UnreadableFile, read_text
from practicehub.core.yamlfiles import (
    DataFileError,
    Document,
    Problem,
    duplicate_codes,
    read_document,
    schema_problems,
    schema_validator,
)
from practicehub.practice_model.models import (
    Behavior,
    BehaviorLink,
    Crosswalk,
    Element,
    ElementLink,
    ModelVersion,
    Relation,
)

SCHEMA_FILE = "crosswalk.schema.json"
SHIPPED_CROSSWALKS = ("cfpm-to-cpm.yaml",)
# The two sections of a file: its key, the word its messages use, the model holding the codes.
SECTIONS: tuple[tuple[str, str, type[Element] | type[Behavior]], ...] = (
    ("elements", "element", Element),
    ("behaviors", "behavior", Behavior),
)


@dataclass(frozen=True)
class LinkRow:
    """One link as stored: from code, to code ('' for none), relation, note."""

    source: str
    target: str
    relation: Relation
    note: str


@dataclass(frozen=True)
class CrosswalkSpec:
    source: str
    target: str
    provenance: str
    elements: tuple[LinkRow, ...]
    behaviors: tuple[LinkRow, ...]

    def rows(self, section: str) -> tuple[LinkRow, ...]:
        return self.elements if section == "elements" else self.behaviors


class Outcome(enum.StrEnum):
    CHECKED = "checked"
    CREATED = "created"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class CrosswalkResult:
    spec: CrosswalkSpec
    outcome: Outcome

    @property
    def message(self) -> str:
        pair = f"{self.spec.source} → {self.spec.target}"
        counts = f"{len(self.spec.elements)} element and {len(self.spec.behaviors)} behavior links"
        return {
            Outcome.CHECKED: f"Crosswalk {pair} is fine ({counts}); nothing was written.",
            Outcome.CREATED: f"Loaded crosswalk {pair} ({counts}).",
            Outcome.REPLACED: f"Replaced the links of crosswalk {pair} ({counts}).",
            Outcome.UNCHANGED: f"Crosswalk {pair} is already loaded with the same links; "
                               "nothing changed.",
        }[self.outcome]


@dataclass(frozen=True)
class ParsedCrosswalk:
    spec: CrosswalkSpec
    document: Document
    source: ModelVersion
    target: ModelVersion


def _version(document: Document, side: str) -> tuple[ModelVersion | None, list[Problem]]:
    ref = document.data[side]
    key, label = ref.split("@", 1)
    found = ModelVersion.objects.filter(key=key, label=label).first()
    if found is None:
        loaded = ", ".join(ModelVersion.objects.filter(key=key).values_list("label", flat=True))
        hint = f" (loaded versions of {key}: {loaded})" if loaded else ""
        return None, [document.problem((side,), f"{side}: no model version {ref} is loaded{hint}")]
    if not found.is_published:
        return None, [document.problem(
            (side,), f"{side}: {ref} is a draft; a crosswalk links published versions only")]
    return found, []


def _targets(entry: dict[str, Any]) -> Iterator[tuple[int, str, str | None]]:
    """(position, code, own relation) of each target of an entry."""
    for index, target in enumerate(entry.get("to") or []):
        if isinstance(target, str):
            yield index, target, None
        else:
            yield index, target["code"], target.get("relation")


def _entry_problems(document: Document, path: tuple[str, int], what: str,
                    entry: dict[str, Any], codes: tuple[set[str], set[str]],
                    target_ref: str) -> list[Problem]:
    code, relation = entry["code"], entry.get("relation")
    problems = []
    if code not in codes[0]:
        problems.append(document.problem((*path, "code"), f"{what} '{code}' is not in "
                                                          f"{document.data['from']}"))
    targets = list(_targets(entry))
    if relation == Relation.NONE and targets:
        listed = ", ".join(target for _, target, _ in targets)
        problems.append(document.problem((*path, "to"), (
            f"{what} '{code}' has relation none (no counterpart), so it cannot also list "
            f"counterparts ({listed}); drop 'to' or the relation none")))
        return problems
    if not targets and relation != Relation.NONE:
        problems.append(document.problem(path, (
            f"{what} '{code}' lists no counterpart; give 'to', or relation: none to say "
            f"that {target_ref} has none")))
    seen: dict[str, int] = {}
    for index, target, own in targets:
        where = (*path, "to", index)
        if target not in codes[1]:
            problems.append(document.problem(where, (
                f"{what} '{code}' maps to '{target}', which is not one of the {what}s of "
                f"{target_ref}")))
        if own is None and relation is None:
            problems.append(document.problem(where, (
                f"{what} '{code}' → '{target}' needs a relation (same, narrower or broader), "
                "on the target or on the entry")))
        if target in seen:
            problems.append(document.problem(where, f"{what} '{code}' lists '{target}' twice "
                                                    f"(first on line {seen[target]})"))
        else:
            seen[target] = document.line_of(where) or 0
    return problems


def _coverage(document: Document, source: ModelVersion, listed: set[str]) -> list[Problem]:
    codes = Behavior.objects.filter(version=source).order_by("order").values_list("code",
                                                                                  flat=True)
    missing = [code for code in codes if code not in listed]
    if not missing:
        return []
    return [document.problem(("behaviors",), (
        f"behaviors: every behavior of {source.ref} needs an entry (relation: none when it has "
        f"no counterpart); missing: {', '.join(missing)}"))]


def content_problems(document: Document) -> tuple[list[Problem], ModelVersion | None,
                                                  ModelVersion | None]:
    """Versions, codes on both sides, repeats, none with targets, every behavior covered."""
    source, problems = _version(document, "from")
    target, more = _version(document, "to")
    problems += more
    if source is None or target is None:
        return problems, source, target
    if source.pk == target.pk:
        return [document.problem(("to",), "to: a crosswalk maps a version onto another one, "
                                          f"not onto itself ({source.ref})")], None, None
    for section, what, model in SECTIONS:
        entries = document.data.get(section) or []
        codes = (set(model.objects.filter(version=source).values_list("code", flat=True)),
                 set(model.objects.filter(version=target).values_list("code", flat=True)))
        problems += duplicate_codes(
            document, [((section, index, "code"), entry["code"])
                       for index, entry in enumerate(entries)], what)
        for index, entry in enumerate(entries):
            problems += _entry_problems(document, (section, index), what, entry, codes,
                                        target.ref)
    problems += _coverage(document, source, {e["code"] for e in document.data["behaviors"]})
    return problems, source, target


def _rows(entries: list[dict[str, Any]]) -> tuple[LinkRow, ...]:
    rows = []
    for entry in entries:
        note = str(entry.get("note", "")).strip()
        relation = entry.get("relation")
        if relation == Relation.NONE:
            rows.append(LinkRow(entry["code"], "", Relation.NONE, note))
        for _, target, own in _targets(entry):
            rows.append(LinkRow(entry["code"], target, Relation(str(own or relation)), note))
    return tuple(rows)


def spec_from_data(data: dict[str, Any]) -> CrosswalkSpec:
    return CrosswalkSpec(
        source=data["from"], target=data["to"],
        provenance=" ".join(str(data.get("provenance", "")).split()),
        elements=_rows(data.get("elements") or []), behaviors=_rows(data["behaviors"]))


def parse_crosswalk_text(text: str, source: str) -> ParsedCrosswalk:
    """Check ``text`` completely; raise ``DataFileError`` listing every problem found."""
    document, problems = read_document(text, source)
    if document.parsed:
        problems += schema_problems(document, schema_validator("practicehub.practice_model",
                                                               SCHEMA_FILE))
    from_version = to_version = None
    if document.parsed and not problems:
        more, from_version, to_version = content_problems(document)
        problems += more
    if problems or from_version is None or to_version is None:
        raise DataFileError(problems)
    return ParsedCrosswalk(spec_from_data(document.data), document, from_version, to_version)


def stored_spec(crosswalk: Crosswalk) -> CrosswalkSpec:
    def rows(links: Any) -> tuple[LinkRow, ...]:
        return tuple(LinkRow(link.source.code, link.target.code if link.target else "",
                             Relation(link.relation), link.note)
                     for link in links.select_related("source", "target").order_by("order"))

    return CrosswalkSpec(crosswalk.source.ref, crosswalk.target.ref, crosswalk.provenance,
                         rows(crosswalk.elementlinks), rows(crosswalk.behaviorlinks))


def _ids(model: type[Element] | type[Behavior], parsed: ParsedCrosswalk
         ) -> tuple[dict[str, int], dict[str, int]]:
    return tuple(  # type: ignore[return-value]
        dict(model.objects.filter(version=version).values_list("code", "id"))
        for version in (parsed.source, parsed.target))


def _write_links(crosswalk: Crosswalk, parsed: ParsedCrosswalk) -> None:
    sources, targets = _ids(Element, parsed)
    ElementLink.objects.bulk_create([
        ElementLink(crosswalk=crosswalk, source_id=sources[row.source],
                    target_id=targets[row.target] if row.target else None,
                    relation=row.relation, note=row.note, order=order)
        for order, row in enumerate(parsed.spec.elements)])
    sources, targets = _ids(Behavior, parsed)
    BehaviorLink.objects.bulk_create([
        BehaviorLink(crosswalk=crosswalk, source_id=sources[row.source],
                     target_id=targets[row.target] if row.target else None,
                     relation=row.relation, note=row.note, order=order)
        for order, row in enumerate(parsed.spec.behaviors)])


def load_parsed(parsed: ParsedCrosswalk, *, replace: bool = False) -> CrosswalkResult:
    spec = parsed.spec
    with transaction.atomic():
        existing = (Crosswalk.objects.select_for_update()
                    .filter(source=parsed.source, target=parsed.target).first())
        if existing is not None:
            if stored_spec(existing) == spec:
                return CrosswalkResult(spec, Outcome.UNCHANGED)
            if not replace:
                raise DataFileError([parsed.document.problem(("from",), (
                    f"a crosswalk {spec.source} → {spec.target} is already loaded with other "
                    "links; load the file with --replace to replace them"))])
            existing.elementlinks.all().delete()
            existing.behaviorlinks.all().delete()
            existing.provenance = spec.provenance
            existing.loaded_from = parsed.document.source[:300]
            existing.save()
            _write_links(existing, parsed)
            record_event(Action.UPDATE, obj=existing, fields=["links"])
            return CrosswalkResult(spec, Outcome.REPLACED)
        crosswalk = Crosswalk.objects.create(source=parsed.source, target=parsed.target,
                                             provenance=spec.provenance,
                                             loaded_from=parsed.document.source[:300])
        _write_links(crosswalk, parsed)
        record_event(Action.CREATE, obj=crosswalk)
    return CrosswalkResult(spec, Outcome.CREATED)


def read_crosswalk_file(path: Path | str) -> str:
    try:
        return read_text(path)
    except UnreadableFile as unreadable:
        raise DataFileError([Problem(str(path), None, unreadable.reason)]) from None


def load_crosswalk_text(text: str, source: str = "<text>", *, replace: bool = False,
                        check_only: bool = False) -> CrosswalkResult:
    parsed = parse_crosswalk_text(text, source)
    if check_only:
        return CrosswalkResult(parsed.spec, Outcome.CHECKED)
    return load_parsed(parsed, replace=replace)


def load_crosswalk_file(path: Path | str, *, replace: bool = False,
                        check_only: bool = False) -> CrosswalkResult:
    """Check a crosswalk file and load it; raises ``DataFileError`` and writes nothing on error."""
    return load_crosswalk_text(read_crosswalk_file(path), str(path), replace=replace,
                               check_only=check_only)


def shipped_crosswalk_path(name: str) -> Path:
    folder = resources.files("practicehub.practice_model").joinpath("data", "crosswalks", name)
    return Path(str(folder))


def load_shipped_crosswalks() -> list[CrosswalkResult]:
    """The shipped crosswalks whose two versions are loaded (idempotent)."""
    results = []
    for name in SHIPPED_CROSSWALKS:
        path = shipped_crosswalk_path(name)
        text = read_crosswalk_file(path)
        document, _ = read_document(text, str(path))
        refs = [str(document.data.get(side, "")) for side in ("from", "to")]
        if all(ModelVersion.objects.filter(key=ref.split("@")[0], label=ref.split("@")[-1],
                                           status="published").exists() for ref in refs):
            results.append(load_crosswalk_text(text, f"practice_model/data/crosswalks/{name}"))
    return results
