"""A model version as plain, comparable values: the shape shared by files, database and diffs.

Files are read into a ``ModelSpec``, the database is read into one too, and exports and diffs
work from it, so "same content" means the same thing everywhere: equal specs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMAT = 1
PRACTICE_KIND = "practice"


@dataclass(frozen=True)
class LevelSpec:
    code: str
    label: str
    rank: int
    description: str = ""


@dataclass(frozen=True)
class PrincipleSpec:
    code: str
    text: str


@dataclass(frozen=True)
class ValueSpec:
    code: str
    name: str
    description: str = ""
    principles: tuple[PrincipleSpec, ...] = ()


@dataclass(frozen=True)
class NamedSpec:
    """A practice or a casework component: a code, a name and a description."""

    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class ElementSpec:
    code: str
    name: str
    practice: str | None = None
    description: str = ""


@dataclass(frozen=True)
class BehaviorSpec:
    code: str
    set: str
    text: str
    wording: str
    practice: str | None = None
    element: str | None = None
    # Profile level code → descriptor text; empty when the behavior has no profile yet.
    descriptors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StandardSpec:
    code: str
    text: str


@dataclass(frozen=True)
class CapacityAreaSpec:
    code: str
    name: str
    description: str = ""
    standards: tuple[StandardSpec, ...] = ()


@dataclass(frozen=True)
class SystemicIssueSpec:
    code: str
    name: str
    practices: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class ModelSpec:
    key: str
    name: str
    version: str
    status: str
    kind: str = PRACTICE_KIND
    description: str = ""
    provenance: str = ""
    framework_name: str = ""
    framework_description: str = ""
    profile_levels: tuple[LevelSpec, ...] = ()
    values: tuple[ValueSpec, ...] = ()
    practices: tuple[NamedSpec, ...] = ()
    elements: tuple[ElementSpec, ...] = ()
    behaviors: tuple[BehaviorSpec, ...] = ()
    capacity_areas: tuple[CapacityAreaSpec, ...] = ()
    systemic_issues: tuple[SystemicIssueSpec, ...] = ()
    casework_components: tuple[NamedSpec, ...] = ()

    @property
    def ref(self) -> str:
        return f"{self.key}@{self.version}"


def _clean(value: Any) -> str:
    """Text as stored: YAML block scalars leave a trailing newline nobody means."""
    return value.strip() if isinstance(value, str) else ""


def _optional(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def _items(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = data.get(name) or []
    return items


def _in_order(codes: list[str], order: list[str]) -> tuple[str, ...]:
    """The practices an issue names, in the order of the practices section.

    Their order within one issue carries no meaning, and the database keeps them as a set.
    """
    return tuple(sorted(codes, key=order.index))


def _named(item: dict[str, Any]) -> NamedSpec:
    return NamedSpec(_clean(item["code"]), _clean(item["name"]), _clean(item.get("description")))


def _level(item: dict[str, Any]) -> LevelSpec:
    return LevelSpec(_clean(item["code"]), _clean(item["label"]), item["rank"],
                     _clean(item.get("description")))


def _value(item: dict[str, Any]) -> ValueSpec:
    principles = tuple(PrincipleSpec(_clean(p["code"]), _clean(p["text"]))
                       for p in _items(item, "principles"))
    return ValueSpec(_clean(item["code"]), _clean(item["name"]), _clean(item.get("description")),
                     principles)


def _element(item: dict[str, Any]) -> ElementSpec:
    return ElementSpec(_clean(item["code"]), _clean(item["name"]),
                       _optional(item.get("practice")), _clean(item.get("description")))


def _behavior(item: dict[str, Any], level_order: list[str]) -> BehaviorSpec:
    given: dict[str, Any] = item.get("descriptors") or {}
    return BehaviorSpec(
        code=_clean(item["code"]),
        set=item["set"],
        text=_clean(item["text"]),
        wording=item["wording"],
        practice=_optional(item.get("practice")),
        element=_optional(item.get("element")),
        descriptors={level: _clean(given[level]) for level in level_order if level in given},
    )


def _area(item: dict[str, Any]) -> CapacityAreaSpec:
    standards = tuple(StandardSpec(_clean(s["code"]), _clean(s["text"]))
                      for s in _items(item, "standards"))
    return CapacityAreaSpec(_clean(item["code"]), _clean(item["name"]),
                            _clean(item.get("description")), standards)


def _issue(item: dict[str, Any], practice_order: list[str]) -> SystemicIssueSpec:
    return SystemicIssueSpec(_clean(item["code"]), _clean(item["name"]),
                             _in_order(item["practices"], practice_order),
                             _clean(item.get("description")))


def spec_from_data(data: dict[str, Any]) -> ModelSpec:
    """The spec of file data that has passed the schema and content checks."""
    framework: dict[str, Any] = data.get("framework") or {}
    levels = tuple(_level(item) for item in _items(data, "profile_levels"))
    level_order = [level.code for level in levels]
    practice_order = [item["code"] for item in _items(data, "practices")]
    return ModelSpec(
        key=data["key"],
        name=_clean(data["name"]),
        version=data["version"],
        status=data["status"],
        kind=data.get("kind", PRACTICE_KIND),
        description=_clean(data.get("description")),
        provenance=_clean(data.get("provenance")),
        framework_name=_clean(framework.get("name")),
        framework_description=_clean(framework.get("description")),
        profile_levels=levels,
        values=tuple(_value(item) for item in _items(data, "values")),
        practices=tuple(_named(item) for item in _items(data, "practices")),
        elements=tuple(_element(item) for item in _items(data, "elements")),
        behaviors=tuple(_behavior(item, level_order) for item in _items(data, "behaviors")),
        capacity_areas=tuple(_area(item) for item in _items(data, "capacity_areas")),
        systemic_issues=tuple(_issue(item, practice_order)
                              for item in _items(data, "systemic_issues")),
        casework_components=tuple(_named(item) for item in _items(data, "casework_components")),
    )


def _entry(description: str = "", **fields: Any) -> dict[str, Any]:
    """Fields in the documented order, leaving out an empty optional description or reference."""
    entry = {name: value for name, value in fields.items() if value is not None}
    if description:
        entry["description"] = description
    return entry


def _behavior_data(behavior: BehaviorSpec) -> dict[str, Any]:
    entry = _entry(
        code=behavior.code, set=behavior.set, practice=behavior.practice,
        element=behavior.element, text=behavior.text, wording=behavior.wording,
    )
    if behavior.descriptors:
        entry["descriptors"] = dict(behavior.descriptors)
    return entry


def _value_data(value: ValueSpec) -> dict[str, Any]:
    entry = _entry(value.description, code=value.code, name=value.name)
    if value.principles:
        entry["principles"] = [{"code": p.code, "text": p.text} for p in value.principles]
    return entry


def _area_data(area: CapacityAreaSpec) -> dict[str, Any]:
    entry = _entry(area.description, code=area.code, name=area.name)
    if area.standards:
        entry["standards"] = [{"code": s.code, "text": s.text} for s in area.standards]
    return entry


def _sections(spec: ModelSpec) -> dict[str, list[dict[str, Any]]]:
    return {
        "profile_levels": [
            _entry(lv.description, code=lv.code, label=lv.label, rank=lv.rank)
            for lv in spec.profile_levels
        ],
        "values": [_value_data(value) for value in spec.values],
        "practices": [_entry(p.description, code=p.code, name=p.name) for p in spec.practices],
        "elements": [
            _entry(e.description, code=e.code, name=e.name, practice=e.practice)
            for e in spec.elements
        ],
        "behaviors": [_behavior_data(behavior) for behavior in spec.behaviors],
        "capacity_areas": [_area_data(area) for area in spec.capacity_areas],
        "systemic_issues": [
            _entry(i.description, code=i.code, name=i.name, practices=list(i.practices))
            for i in spec.systemic_issues
        ],
        "casework_components": [
            _entry(c.description, code=c.code, name=c.name) for c in spec.casework_components
        ],
    }


def spec_to_data(spec: ModelSpec) -> dict[str, Any]:
    """The file data of a spec, in the documented field order; empty optional parts left out."""
    data: dict[str, Any] = {
        "format": FORMAT, "key": spec.key, "name": spec.name,
        "version": spec.version, "status": spec.status,
    }
    if spec.kind != PRACTICE_KIND:
        data["kind"] = spec.kind
    if spec.description:
        data["description"] = spec.description
    if spec.provenance:
        data["provenance"] = spec.provenance
    if spec.framework_name:
        data["framework"] = _entry(spec.framework_description, name=spec.framework_name)
    for name, entries in _sections(spec).items():
        # behaviors is required by the schema, so it is written even when empty.
        if entries or name == "behaviors":
            data[name] = entries
    return data
