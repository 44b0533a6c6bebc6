"""Instruments as data: reading, checking and loading YAML instrument files.

The stored ``spec`` is always expanded: sections drawn from a practice model's capacity areas are
written out, so scoring and pages read one shape and a loaded instrument does not change when a
later model version is published.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import transaction

from practicehub.assessments.models import Instrument
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.textfiles import UnreadableFile, read_text
from practicehub.core.yamlfiles import (
    DataFileError,
    Document,
    Problem,
    duplicate_codes,
    parse_data_file,
    schema_validator,
)
from practicehub.practice_model.models import ModelVersion, Status

INSTRUMENT_DIR = "data/instruments"


def _structure_problems(document: Document) -> list[Problem]:
    data = document.data
    if "sections" in data and "sections_from_capacity_areas" in data:
        return [document.problem(("sections_from_capacity_areas",),
                                 "give either sections or sections_from_capacity_areas, not both")]
    if "sections" not in data and "sections_from_capacity_areas" not in data:
        return [document.problem((), "missing required field 'sections' "
                                     "(or 'sections_from_capacity_areas')")]
    values = [(("scale", i, "value"), str(step["value"])) for i, step in enumerate(data["scale"])]
    problems = duplicate_codes(document, values, "scale value")
    sections = data.get("sections", [])
    problems += duplicate_codes(document, [(("sections", s, "code"), section["code"])
                                           for s, section in enumerate(sections)], "section code")
    items = [(("sections", s, "items", i, "code"), item["code"])
             for s, section in enumerate(sections)
             for i, item in enumerate(section.get("items", []))]
    problems += duplicate_codes(document, items, "item code")
    for s, section in enumerate(sections):
        if not section.get("items"):
            problems.append(document.problem(("sections", s), f"section '{section['code']}' "
                                                              "lists no items"))
    known = {section["code"] for section in sections}
    for n, subscale in enumerate(data.get("subscales", [])):
        for k, code in enumerate(subscale["sections"]):
            if sections and code not in known:
                problems.append(document.problem(("subscales", n, "sections", k),
                                                 f"no section has the code '{code}'"))
    return problems


def _template_problems(document: Document, templates: list[dict[str, Any]]) -> list[Problem]:
    """Item templates may name the area as ``{area}``; any other braces cannot be filled in."""
    problems = []
    for index, template in enumerate(templates):
        for field in ("text", "suggestion"):
            try:
                str(template.get(field, "")).format(area="")
            except (KeyError, IndexError, ValueError):
                problems.append(document.problem(
                    ("sections_from_capacity_areas", "items", index, field),
                    f"{field}: only {{area}} may appear in braces (write {{{{ and }}}} "
                    "for a brace itself)"))
    return problems


def _capacity_sections(document: Document) -> tuple[list[dict[str, Any]], list[Problem]]:
    source = document.data["sections_from_capacity_areas"]
    problems = _template_problems(document, source["items"])
    if problems:
        return [], problems
    version = (ModelVersion.objects.filter(key=source["model"], status=Status.PUBLISHED)
               .order_by("-published_at", "-pk").first())
    if version is None:
        problem = document.problem(("sections_from_capacity_areas", "model"),
                                   f"no published version of practice model "
                                   f"'{source['model']}' is loaded")
        return [], [problem]
    sections = []
    for area in version.capacityarea_set.order_by("order"):
        items = [{"code": f"{area.code}-{template['code']}",
                  "text": template["text"].format(area=area.name.lower()),
                  "suggestion": template.get("suggestion", "").format(area=area.name.lower())}
                 for template in source["items"]]
        sections.append({"code": area.code, "name": area.name, "items": items})
    return sections, []


def parse_instrument_text(text: str, source: str) -> dict[str, Any]:
    """The checked and expanded spec; raises ``DataFileError`` with every problem's line."""
    validator = schema_validator("practicehub.assessments", "instrument.schema.json")
    document = parse_data_file(text, source, validator, _structure_problems)
    spec: dict[str, Any] = dict(document.data)
    if "sections_from_capacity_areas" in spec:
        sections, problems = _capacity_sections(document)
        if problems:
            raise DataFileError(problems)
        spec["sections"] = sections
        spec["sections_from"] = spec.pop("sections_from_capacity_areas")["model"]
    spec.setdefault("administration", ["individual", "consensus"])
    spec.setdefault("subscales", [])
    return spec


@transaction.atomic
def load_instrument_text(text: str, source: str) -> Instrument:
    """Create the instrument version, or update it while nobody has answered it yet."""
    spec = parse_instrument_text(text, source)
    existing = Instrument.objects.filter(key=spec["key"], version=spec["version"]).first()
    if existing is not None and existing.spec == spec:
        return existing
    if existing is not None and existing.administrations.exists():
        message = (f"{spec['key']} {spec['version']} has been administered; "
                   "give the changes a new version")
        raise DataFileError([Problem(source, None, message)])
    instrument, created = Instrument.objects.update_or_create(
        key=spec["key"], version=spec["version"],
        defaults={"name": spec["name"], "description": spec.get("description", ""),
                  "spec": spec},
    )
    record_event(Action.CREATE if created else Action.UPDATE, obj=instrument, fields=["spec"])
    return instrument


def load_instrument_file(path: Path | str) -> Instrument:
    try:
        text = read_text(path)
    except UnreadableFile as unreadable:
        raise DataFileError([Problem(str(path), None, unreadable.reason)]) from None
    return load_instrument_text(text, str(path))


@cache
def shipped_instrument_files() -> tuple[str, ...]:
    folder = resources.files("practicehub.assessments").joinpath(INSTRUMENT_DIR)
    return tuple(sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml")))


def load_shipped_instruments() -> list[Instrument]:
    """Every shipped instrument (idempotent); needs the shipped practice models loaded first."""
    folder = resources.files("practicehub.assessments").joinpath(INSTRUMENT_DIR)
    return [load_instrument_text(folder.joinpath(name).read_text(encoding="utf-8"),
                                 f"assessments/{INSTRUMENT_DIR}/{name}")
            for name in shipped_instrument_files()]
