"""Scoring an instrument's answers: pure functions over the expanded spec.

- ``sum``: the points scored.
- ``mean``: the points scored divided by the number of items.
- ``percent``: the points scored as a percentage of the most that could be scored
  (the top of the scale times the number of items).

Sections are always sub-scales; the spec's ``subscales`` add groups of sections. A target applies
to the method's unit; with ``sum`` it applies to the total only, since a sum of fewer items
cannot be held to the same number.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from practicehub.implementation.services.access import InvalidInput

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class ItemSpec:
    code: str
    text: str
    section: str
    suggestion: str


def items_of(spec: dict[str, Any]) -> list[ItemSpec]:
    return [ItemSpec(item["code"], item["text"], section["code"], item.get("suggestion", ""))
            for section in spec["sections"] for item in section["items"]]


def scale_values(spec: dict[str, Any]) -> list[int]:
    return sorted(int(step["value"]) for step in spec["scale"])


def scale_label(spec: dict[str, Any], value: int) -> str:
    return next((str(s["label"]) for s in spec["scale"] if s["value"] == value), str(value))


def shown_value(spec: dict[str, Any], value: int) -> str:
    """A scale point as pages show it: the number with its label ("2 Partially in place")."""
    label = scale_label(spec, value)
    return f"{value} {label}" if label != str(value) else str(value)


METHOD_LABELS = {"sum": "Sum of item scores", "mean": "Mean item score",
                 "percent": "Percent of the maximum possible"}


def scoring_described(spec: dict[str, Any]) -> str:
    """How an instrument is scored, as its page says it ("Mean item score; target 2.5")."""
    method, target = spec["scoring"]["method"], spec["scoring"].get("target")
    described = METHOD_LABELS[method]
    if target is not None:
        described += f"; target {target}{'%' if method == 'percent' else ''}"
    return described


def item_texts(spec: dict[str, Any]) -> dict[str, str]:
    return {item.code: item.text for item in items_of(spec)}


@dataclass(frozen=True)
class Score:
    code: str
    name: str
    method: str
    raw: int
    count: int
    top: int
    target: Decimal | None

    @property
    def possible(self) -> int:
        return self.top * self.count

    @property
    def mean(self) -> Decimal:
        return Decimal(self.raw) / Decimal(self.count) if self.count else Decimal(0)

    @property
    def percent(self) -> Decimal:
        return Decimal(self.raw * 100) / Decimal(self.possible) if self.possible else Decimal(0)

    @property
    def headline(self) -> Decimal:
        if self.method == "sum":
            return Decimal(self.raw)
        return self.mean if self.method == "mean" else self.percent

    @property
    def shown(self) -> Decimal:
        return self.headline.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)

    @property
    def met_target(self) -> bool | None:
        return None if self.target is None else self.headline >= self.target


@dataclass(frozen=True)
class Results:
    total: Score
    sections: list[Score]
    subscales: list[Score]

    def all_scores(self) -> list[Score]:
        return [*self.sections, *self.subscales]


def check_answers(spec: dict[str, Any], answers: dict[str, int], field: str = "scores") -> None:
    """Every item answered once with a value on the scale; raises ``InvalidInput`` otherwise."""
    codes = [item.code for item in items_of(spec)]
    unknown = sorted(set(answers) - set(codes))
    if unknown:
        raise InvalidInput(field, f"the instrument has no item {unknown[0]!r}")
    missing = [code for code in codes if code not in answers]
    if missing:
        raise InvalidInput(field, f"item {missing[0]!r} has no score")
    allowed = scale_values(spec)
    for code in codes:
        if answers[code] not in allowed:
            raise InvalidInput(field, f"item {code!r}: {answers[code]} is not on the scale "
                                      f"({', '.join(map(str, allowed))})")


def _score(spec: dict[str, Any], code: str, name: str, values: list[int],
           with_target: bool) -> Score:
    target = spec["scoring"].get("target")
    return Score(code=code, name=name, method=spec["scoring"]["method"], raw=sum(values),
                 count=len(values), top=max(scale_values(spec)),
                 target=Decimal(str(target)) if target is not None and with_target else None)


def score(spec: dict[str, Any], answers: dict[str, int]) -> Results:
    """Total, section and sub-scale scores of complete, checked answers."""
    check_answers(spec, answers)
    per_section = {s["code"]: [answers[i["code"]] for i in s["items"]] for s in spec["sections"]}
    sub_targets = spec["scoring"]["method"] != "sum"
    sections = [_score(spec, s["code"], s["name"], per_section[s["code"]], sub_targets)
                for s in spec["sections"]]
    subscales = [_score(spec, g["code"], g["name"],
                        [v for code in g["sections"] for v in per_section[code]], sub_targets)
                 for g in spec["subscales"]]
    total = _score(spec, "total", "Total", list(answers.values()), True)
    return Results(total, sections, subscales)


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return (self.after - self.before).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def changes(before: Results, after: Results) -> list[Change]:
    """The headline change of the total and each sub-scale between two administrations."""
    earlier = {s.code: s for s in [before.total, *before.all_scores()]}
    return [Change(s.code, s.name, earlier[s.code].shown, s.shown)
            for s in [after.total, *after.all_scores()] if s.code in earlier]


def lowest_items(spec: dict[str, Any], answers: dict[str, int], limit: int = 3) -> list[ItemSpec]:
    """The lowest-scored items below the top of the scale, first in instrument order on ties."""
    top = max(scale_values(spec))
    ranked = [(answers[item.code], index, item) for index, item in enumerate(items_of(spec))
              if answers.get(item.code, top) < top]
    return [item for _, _, item in sorted(ranked, key=lambda entry: entry[:2])[:limit]]
