"""Comparing two model versions section by section, entry by entry (matched by code)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from practicehub.practice_model.services.export import find_version
from practicehub.practice_model.services.loader import parse_model_file
from practicehub.practice_model.services.spec import ModelSpec
from practicehub.practice_model.services.store import read_spec

# Section → entry code → field → value, all as text; the model's own fields sit under code "".
Flat = dict[str, dict[str, dict[str, str]]]


class Kind(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    section: str
    code: str
    kind: Kind
    field: str = ""
    old: str = ""
    new: str = ""


def _optional(code: str | None) -> str:
    return code or ""


def flatten(spec: ModelSpec) -> Flat:
    """Every comparable field of a spec; nested lists become sections of their own."""
    return {
        "model": {"": {
            "key": spec.key, "name": spec.name, "version": spec.version, "status": spec.status,
            "description": spec.description, "provenance": spec.provenance,
            "framework.name": spec.framework_name,
            "framework.description": spec.framework_description,
        }},
        "profile_levels": {
            lv.code: {"label": lv.label, "rank": str(lv.rank), "description": lv.description}
            for lv in spec.profile_levels
        },
        "values": {v.code: {"name": v.name, "description": v.description} for v in spec.values},
        "principles": {
            p.code: {"value": v.code, "text": p.text} for v in spec.values for p in v.principles
        },
        "practices": {
            p.code: {"name": p.name, "description": p.description} for p in spec.practices
        },
        "elements": {
            e.code: {"name": e.name, "practice": _optional(e.practice),
                     "description": e.description}
            for e in spec.elements
        },
        "behaviors": {
            b.code: {
                "set": b.set, "practice": _optional(b.practice),
                "element": _optional(b.element), "text": b.text, "wording": b.wording,
            } | {f"descriptors.{level}": text for level, text in b.descriptors.items()}
            for b in spec.behaviors
        },
        "capacity_areas": {
            a.code: {"name": a.name, "description": a.description} for a in spec.capacity_areas
        },
        "capacity_standards": {
            s.code: {"area": a.code, "text": s.text}
            for a in spec.capacity_areas for s in a.standards
        },
        "systemic_issues": {
            i.code: {"name": i.name, "description": i.description,
                     "practices": ", ".join(i.practices)}
            for i in spec.systemic_issues
        },
        "casework_components": {
            c.code: {"name": c.name, "description": c.description}
            for c in spec.casework_components
        },
    }


def _entry_changes(
    section: str, code: str, old: dict[str, str], new: dict[str, str]
) -> list[Change]:
    fields = [*old, *(name for name in new if name not in old)]
    return [
        Change(section, code, Kind.CHANGED, name, old.get(name, ""), new.get(name, ""))
        for name in fields
        if old.get(name, "") != new.get(name, "")
    ]


def diff_specs(a: ModelSpec, b: ModelSpec) -> list[Change]:
    """What turns ``a`` into ``b``: entries added, removed, and fields changed, in file order."""
    changes: list[Change] = []
    flat_a, flat_b = flatten(a), flatten(b)
    for section, entries_a in flat_a.items():
        entries_b = flat_b[section]
        added = [code for code in entries_b if code not in entries_a]
        removed = [code for code in entries_a if code not in entries_b]
        changes += [Change(section, code, Kind.ADDED) for code in added]
        changes += [Change(section, code, Kind.REMOVED) for code in removed]
        for code, fields in entries_a.items():
            if code in entries_b:
                changes += _entry_changes(section, code, fields, entries_b[code])
    return changes


def format_changes(changes: list[Change]) -> str:
    """The changes as text grouped by section; "No differences." when there are none."""
    if not changes:
        return "No differences.\n"
    lines: list[str] = []
    section = None
    for change in changes:
        if change.section != section:
            section = change.section
            lines.append(f"{section}:")
        if change.kind is Kind.CHANGED:
            where = f"{change.code} {change.field}" if change.code else change.field
            lines += [f"  changed {where}", f"    - {change.old}", f"    + {change.new}"]
        else:
            lines.append(f"  {change.kind} {change.code}")
    return "\n".join(lines) + "\n"


def spec_of(ref: str) -> ModelSpec:
    """The spec of a model file or of a stored ``KEY[@VERSION]``.

    ``ref`` is a file when one exists at that path, or when it cannot be a key (keys have no
    '/' or '.'), so a mistyped file name is reported as a missing file.
    """
    key = ref.partition("@")[0]
    if Path(ref).is_file() or "/" in key or "." in key:
        return parse_model_file(ref).spec
    return read_spec(find_version(ref))
