"""Exporting a stored version as YAML (loadable again), JSON or CSV (one row per behavior)."""

from __future__ import annotations

import json
from typing import Any

import yaml

from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.errors import OutsideScope
from practicehub.core.services.tables import Table, csv_text
from practicehub.practice_model.models import ModelVersion
from practicehub.practice_model.services.spec import ModelSpec, spec_to_data
from practicehub.practice_model.services.store import read_spec

FORMATS = ("yaml", "json", "csv")
CSV_COLUMNS = ("code", "set", "practice", "element", "text", "wording")


class VersionNotFound(OutsideScope):
    """A ``KEY[@VERSION]`` that names no stored version; the message says what exists."""


def find_version(ref: str) -> ModelVersion:
    """The version named ``KEY@VERSION``, or the latest published one for a bare ``KEY``."""
    key, _, label = ref.partition("@")
    versions = ModelVersion.objects.filter(key=key)
    if label:
        found = versions.filter(label=label).first()
    else:
        found = versions.published().order_by("-published_at", "-id").first()
    if found is not None:
        return found
    known = ", ".join(v.ref for v in versions.order_by("label"))
    if not known:
        raise VersionNotFound(f"no model with key {key!r} is loaded")
    what = f"version {label} of {key}" if label else f"published version of {key}"
    raise VersionNotFound(f"no {what}; stored versions: {known}")


class _Dumper(yaml.SafeDumper):
    """Writes files in the layout of the shipped ones: list items indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Multi-line text as a literal block keeps its line breaks readable in the file.
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def spec_yaml(spec: ModelSpec) -> str:
    return yaml.dump(
        spec_to_data(spec), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def spec_json(spec: ModelSpec) -> str:
    return json.dumps(spec_to_data(spec), indent=2, ensure_ascii=False) + "\n"


def spec_csv(spec: ModelSpec) -> str:
    """One row per behavior with its practice and element by name and one column per level."""
    practices = {p.code: p.name for p in spec.practices}
    elements = {e.code: e.name for e in spec.elements}
    rows: list[list[Any]] = [
        [b.code, b.set, practices.get(b.practice or "", ""), elements.get(b.element or "", ""),
         b.text, b.wording, *(b.descriptors.get(lv.code, "") for lv in spec.profile_levels)]
        for b in spec.behaviors]
    headers = [*CSV_COLUMNS, *(level.label for level in spec.profile_levels)]
    return csv_text(Table(key=spec.key, title=spec.name, headers=headers, rows=rows))


_WRITERS = {"yaml": spec_yaml, "json": spec_json, "csv": spec_csv}


def export_version(version: ModelVersion, fmt: str = "yaml") -> str:
    """The version in ``fmt`` (one of ``FORMATS``); the export is recorded in the audit log."""
    if fmt not in _WRITERS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    text = _WRITERS[fmt](read_spec(version))
    record_event(Action.EXPORT, obj=version)
    return text
