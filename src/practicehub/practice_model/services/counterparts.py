"""What the model browser shows of crosswalks: each behavior's and element's counterparts in
the other model, read from either side.

A link reads "from item RELATION to item". Shown on the *to* item's page it is turned round
(narrower becomes broader), so every row reads "this item is RELATION the counterpart".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from practicehub.practice_model.models import (
    Behavior,
    BehaviorLink,
    Crosswalk,
    Element,
    ElementLink,
    ModelVersion,
    Relation,
)


@dataclass(frozen=True)
class Counterpart:
    """One row: the other version, this item's relation to the other item (None: no
    counterpart there), the other item's code and name, and the link's note."""

    other: ModelVersion
    relation: Relation
    code: str
    name: str
    note: str

    @property
    def phrase(self) -> str:
        return str(self.relation.label)


def crosswalks_of(version: ModelVersion) -> list[Crosswalk]:
    """The crosswalks from or onto ``version``, for their provenance beside the counterparts."""
    return _crosswalks(version)


def _crosswalks(version: ModelVersion) -> list[Crosswalk]:
    return list(Crosswalk.objects.filter(Q(source=version) | Q(target=version))
                .select_related("source", "target"))


def _behavior_rows(links: list[BehaviorLink], item_id: int,
                   crosswalks: list[Crosswalk]) -> list[Counterpart]:
    rows = []
    versions = {c.pk: c for c in crosswalks}
    for link in links:
        crosswalk = versions[link.crosswalk_id]
        if link.source_id == item_id:
            if link.target is None:
                rows.append(Counterpart(crosswalk.target, Relation.NONE, "", "", link.note))
            else:
                rows.append(Counterpart(crosswalk.target, Relation(link.relation),
                                        link.target.code, link.target.text, link.note))
        elif link.target_id == item_id:
            rows.append(Counterpart(crosswalk.source, Relation(link.relation).inverse,
                                    link.source.code, link.source.text, link.note))
    return rows


def _unmapped(crosswalks: list[Crosswalk], rows: list[Counterpart],
              version: ModelVersion) -> list[ModelVersion]:
    """The other versions of crosswalks onto ``version`` in which nothing maps to this item."""
    seen = {row.other.pk for row in rows}
    return [c.source for c in crosswalks if c.target_id == version.pk and c.source_id not in seen]


@dataclass(frozen=True)
class Counterparts:
    rows: list[Counterpart]
    unmapped_from: list[ModelVersion]
    crosswalks: list[Crosswalk]


def behavior_counterparts(behavior: Behavior) -> Counterparts:
    """The behavior's counterparts in every model a crosswalk links its version with."""
    crosswalks = _crosswalks(behavior.version)
    links = list(BehaviorLink.objects.filter(Q(source=behavior) | Q(target=behavior))
                 .filter(crosswalk__in=crosswalks).select_related("source", "target")
                 .order_by("crosswalk_id", "order"))
    rows = _behavior_rows(links, behavior.pk, crosswalks)
    return Counterparts(rows, _unmapped(crosswalks, rows, behavior.version), crosswalks)


@dataclass(frozen=True)
class ElementCounterparts:
    element: Element
    rows: list[Counterpart]
    unmapped_from: list[ModelVersion]


def element_counterparts(version: ModelVersion) -> list[ElementCounterparts]:
    """Each element of ``version`` with its counterparts; empty when no crosswalk touches it."""
    crosswalks = _crosswalks(version)
    if not crosswalks:
        return []
    by_crosswalk = {c.pk: c for c in crosswalks}
    rows: dict[int, list[Counterpart]] = defaultdict(list)
    links = (ElementLink.objects.filter(crosswalk__in=crosswalks)
             .select_related("source", "target").order_by("crosswalk_id", "order"))
    for link in links:
        crosswalk = by_crosswalk[link.crosswalk_id]
        if crosswalk.source_id == version.pk:
            other = link.target
            rows[link.source_id].append(Counterpart(
                crosswalk.target, Relation(link.relation), other.code if other else "",
                other.name if other else "", link.note))
        elif link.target_id is not None:
            rows[link.target_id].append(Counterpart(
                crosswalk.source, Relation(link.relation).inverse, link.source.code,
                link.source.name, link.note))
    return [ElementCounterparts(element, rows[element.pk],
                                _unmapped(crosswalks, rows[element.pk], version))
            for element in Element.objects.filter(version=version)]
