"""What the practice model pages show, gathered in as few queries as the pages need."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from practicehub.practice_model.models import (
    Behavior,
    BehaviorSet,
    Element,
    ModelVersion,
    Practice,
    ProfileLevel,
    SystemicIssue,
)


@dataclass(frozen=True)
class ElementGroup:
    element: Element | None
    behaviors: list[Behavior]


@dataclass(frozen=True)
class PracticeGroup:
    """A practice with its elements and their behaviors; ``practice`` is None in models
    without front-line practices, where elements stand on their own."""

    practice: Practice | None
    elements: list[ElementGroup]


@dataclass(frozen=True)
class SetGroup:
    label: str
    behaviors: list[Behavior]


@dataclass(frozen=True)
class ChartRow:
    issue: SystemicIssue
    answered_by: list[bool]


def _behaviors(version: ModelVersion) -> list[Behavior]:
    return list(
        Behavior.objects.filter(version=version).select_related("practice", "element")
        .order_by("order")
    )


def practice_outline(version: ModelVersion) -> list[PracticeGroup]:
    """Practices → elements → practice behaviors, in file order; empty groups left out."""
    by_element: dict[int | None, list[Behavior]] = defaultdict(list)
    by_practice: dict[int | None, list[Behavior]] = defaultdict(list)
    for behavior in _behaviors(version):
        if behavior.behavior_set != BehaviorSet.PRACTICE:
            continue
        if behavior.element_id is None:
            by_practice[behavior.practice_id].append(behavior)
        else:
            by_element[behavior.element_id].append(behavior)
    elements = list(Element.objects.filter(version=version))
    practices: list[Practice | None] = [*Practice.objects.filter(version=version)] or [None]
    groups = []
    for practice in practices:
        practice_id = practice.pk if practice else None
        inner = [ElementGroup(e, by_element[e.pk]) for e in elements
                 if e.practice_id == practice_id and by_element[e.pk]]
        if by_practice[practice_id]:
            inner.append(ElementGroup(None, by_practice[practice_id]))
        if practice is not None or inner:
            groups.append(PracticeGroup(practice, inner))
    return groups


def other_sets(version: ModelVersion) -> list[SetGroup]:
    """Foundational and leadership behaviors, each set as its own list."""
    behaviors = _behaviors(version)
    return [
        SetGroup(f"{choice.label} behaviors", members)
        for choice in BehaviorSet
        if choice != BehaviorSet.PRACTICE
        and (members := [b for b in behaviors if b.behavior_set == choice])
    ]


def profile_levels(version: ModelVersion) -> list[ProfileLevel]:
    return list(ProfileLevel.objects.filter(version=version).order_by("-rank"))


def descriptor_rows(behavior: Behavior) -> list[tuple[ProfileLevel, str]]:
    """Each level of the scale, strongest first, with the behavior's descriptor ('' if none)."""
    texts = {d.level_id: d.text for d in behavior.descriptors.all()}
    return [(level, texts.get(level.pk, "")) for level in profile_levels(behavior.version)]


def issue_chart(version: ModelVersion) -> tuple[list[Practice], list[ChartRow]]:
    """Systemic issues against practices: which practice answers which issue."""
    practices = list(Practice.objects.filter(version=version))
    rows = []
    for issue in SystemicIssue.objects.filter(version=version).prefetch_related("practices"):
        answering = {p.pk for p in issue.practices.all()}
        rows.append(ChartRow(issue, [p.pk in answering for p in practices]))
    return practices, rows
