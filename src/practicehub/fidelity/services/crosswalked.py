"""A person's ratings in the terms of another practice model, through a crosswalk
(practice_model crosswalks, e.g. CFPM → CPM).

The ratings are exactly those the page it sits on shows: the person's submitted first-observer
observations that the viewer may see (``visible_to``), on tools of the crosswalk's *from*
version; not observed and not applicable are left out. Each rating is proficient when it is at
or above its own tool's proficient point, as everywhere in fidelity (services/scoring.py).

How several behaviors combine into one item of the other model: their ratings are **pooled**.
A CPM behavior's share proficient is the proficient ratings of every CFPM behavior linked to it
(same, narrower or broader) over all their rated ratings, so a behavior rated more often weighs
more. A CPM element pools the CFPM behaviors linked to any of its behaviors, each counted once
even when it feeds two behaviors of the element. A CFPM behavior linked to two CPM behaviors
counts in both. CFPM behaviors the crosswalk gives no counterpart are listed on their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from practicehub.accounts.models import User, Visitor
from practicehub.fidelity.models import Mark, Observation, Rating
from practicehub.fidelity.services.scoring import ProficientShare
from practicehub.practice_model.models import (
    Behavior,
    BehaviorLink,
    BehaviorSet,
    Crosswalk,
    ModelVersion,
    Relation,
)

PARAM = "terms"


@dataclass(frozen=True)
class Counts(ProficientShare):
    rated: int = 0
    proficient: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.rated + other.rated, self.proficient + other.proficient)


@dataclass(frozen=True)
class Feed:
    """A behavior of the person's own model feeding an item of the other one."""

    behavior: Behavior
    relation: Relation
    counts: Counts


@dataclass(frozen=True)
class TermRow:
    """An item (behavior or element) of the other model with the ratings pooled into it."""

    code: str
    label: str
    behavior: Behavior | None
    feeds: list[Feed]
    counts: Counts


@dataclass(frozen=True)
class TermGroup:
    """An element of the other model (or a behavior set without element) and its behaviors."""

    heading: str
    total: TermRow | None
    rows: list[TermRow]


@dataclass(frozen=True)
class InTerms:
    crosswalk: Crosswalk
    groups: list[TermGroup]
    unmapped: list[Feed]
    observations: int

    @property
    def target(self) -> ModelVersion:
        return self.crosswalk.target


@dataclass(frozen=True)
class TermsView:
    """What the page's include shows: the toggles, and the figures when asked for."""

    offered: list[Crosswalk] = field(default_factory=list)
    chosen: InTerms | None = None
    refusal: str = ""


def _scored(person: User, viewer: Visitor) -> QuerySet[Observation]:
    return Observation.objects.filter(worker=person).visible_to(viewer).scored()


def offered(person: User, viewer: Visitor) -> list[Crosswalk]:
    """Crosswalks from a version the person's visible scored observations were rated on."""
    versions = _scored(person, viewer).values("tool__version")
    return list(Crosswalk.objects.filter(source__in=versions).select_related("source", "target")
                .order_by("target__key", "-target__published_at"))


def counts_by_behavior(observations: QuerySet[Observation], version: ModelVersion
                       ) -> dict[int, Counts]:
    """Rated and proficient ratings per behavior of ``version``, each against its tool's point."""
    rows = (Rating.objects.filter(observation__in=observations, mark=Mark.RATED,
                                  behavior__version=version)
            .values("behavior_id")
            .annotate(rated=Count("id"), proficient=Count(
                "id", filter=Q(score__gte=F("observation__tool__proficient_score")))))
    return {row["behavior_id"]: Counts(row["rated"], row["proficient"]) for row in rows}


def _pooled(feeds: Iterable[Feed]) -> Counts:
    total = Counts()
    for feed in feeds:
        total += feed.counts
    return total


def _groups(target: ModelVersion, feeds: dict[int, list[Feed]]) -> list[TermGroup]:
    behaviors = list(Behavior.objects.filter(version=target).select_related("element")
                     .order_by("order"))
    by_element: dict[int | None, list[TermRow]] = defaultdict(list)
    by_set: dict[str, list[TermRow]] = defaultdict(list)
    for behavior in behaviors:
        mine = feeds.get(behavior.pk, [])
        row = TermRow(behavior.code, behavior.text, behavior, mine, _pooled(mine))
        if behavior.element_id is not None:
            by_element[behavior.element_id].append(row)
        else:
            by_set[behavior.behavior_set].append(row)
    groups = []
    for element in target.element_set.order_by("order"):
        rows = by_element.get(element.pk, [])
        if not rows:
            continue
        distinct = {feed.behavior.pk: feed for row in rows for feed in row.feeds}
        ordered = sorted(distinct.values(), key=lambda feed: feed.behavior.order)
        total = TermRow(element.code, element.name, None, ordered, _pooled(ordered))
        groups.append(TermGroup(element.name, total, rows))
    for choice in BehaviorSet:
        if by_set.get(choice.value):
            groups.append(TermGroup(f"{choice.label} behaviors", None, by_set[choice.value]))
    return groups


def in_terms(person: User, viewer: Visitor, crosswalk: Crosswalk) -> InTerms:
    observations = _scored(person, viewer).filter(tool__version=crosswalk.source)
    counts = counts_by_behavior(observations, crosswalk.source)
    feeds: dict[int, list[Feed]] = defaultdict(list)
    unmapped = []
    links = (BehaviorLink.objects.filter(crosswalk=crosswalk).select_related("source__version")
             .order_by("order"))
    for link in links:
        feed = Feed(link.source, Relation(link.relation), counts.get(link.source_id, Counts()))
        if link.target_id is None:
            unmapped.append(feed)
        else:
            feeds[link.target_id].append(feed)
    return InTerms(crosswalk, _groups(crosswalk.target, feeds), unmapped,
                   observations.count())


def terms_view(person: User, viewer: Visitor, asked: str | None) -> TermsView:
    """The toggles for ``person``'s page and, when ``asked`` names a crosswalk's target key
    (``?terms=cpm``), the ratings in those terms; an unknown key is refused in words."""
    available = offered(person, viewer)
    if not asked:
        return TermsView(available)
    chosen = next((c for c in available if c.target.key == asked), None)
    if chosen is None:
        names = ", ".join(sorted({c.target.key for c in available})) or "none"
        return TermsView(available, refusal=(
            f"terms: no crosswalk leads from these ratings to a model '{asked}' "
            f"(available: {names}); showing the ratings as recorded."))
    return TermsView(available, in_terms(person, viewer, chosen))
