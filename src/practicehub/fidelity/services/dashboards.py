"""Fidelity scores for dashboards, aggregated in the database.

A dashboard over all time (no ``since`` or ``until``) sums the kept aggregates
(``services/aggregates``: rows per worker, unit and key, refreshed by each submit and amendment),
so its work does not grow with the ratings; a dashboard of a period groups the ratings
themselves. Each figure list is kept in the shared cache under the scope's data version (the
aggregates' version counter, the tree's size and the tool's rule) with the scope
and parameters, so repeated views read it from the cache and a submit, an amendment or an import
is seen at the next view; entries also expire after ``CACHE_SECONDS``.

Scores count the first observer's submitted ratings (second ratings are for agreement only).
A group's share is proficient ratings / rated behaviors, with a Wilson 95 % interval. Groups of
fewer than ``SMALL_GROUP`` workers are flagged for people who may see the workers, and hidden
from everyone else. Charts draw only ``charted(groups)``: the rows their table shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from practicehub.accounts.models import NodeKind, OrgNode, User
from practicehub.accounts.scoping import path_filter
from practicehub.core.errors import Located, OutsideScope, Refused
from practicehub.core.services.kept import kept
from practicehub.core.stats import wilson_interval
from practicehub.fidelity.models import (
    DashboardAggregate,
    DashboardState,
    DashboardWorkerStatus,
    Mark,
    Observation,
    ObservationTool,
    Rating,
    Status,
)
from practicehub.fidelity.services import aggregates
from practicehub.fidelity.services.access import SMALL_GROUP, aggregate_paths, sees_people_at
from practicehub.fidelity.services.runchart import RunChart, run_chart
from practicehub.fidelity.services.scoring import ProficientShare, worker_result

CONTENT_LEVELS = {
    "behavior": ("behavior__code", "behavior__text"),
    "element": ("behavior__element__code", "behavior__element__name"),
    "practice": ("behavior__practice__code", "behavior__practice__name"),
}
PLACE_LEVELS = ("worker", "unit", "office", "county", "region", "state")
PERIODS = ("month", "quarter")
# With kept.PROCESS_SECONDS: how long a renamed person or place may show its old name.
CACHE_SECONDS = 10 * 60


@dataclass(frozen=True)
class Group(ProficientShare):
    key: str
    label: str
    workers: int
    observations: int
    rated: int
    proficient: int
    mean: float | None
    small: bool
    hidden: bool


@dataclass(frozen=True)
class Scope:
    """What a dashboard covers and how much of it the viewer may see person by person."""

    tool: ObservationTool
    node: OrgNode
    sees_people: bool
    since: date | None = None
    until: date | None = None

    @property
    def all_time(self) -> bool:
        """No period asked for: the figures come from the kept aggregates."""
        return self.since is None and self.until is None

    @cached_property
    def kept_state(self) -> DashboardState:
        """The kept aggregates checked against what is stored (rebuilt if rows were written
        around the services) once per scope: one view builds one scope."""
        return aggregates.current(self.tool)

    @cached_property
    def version(self) -> tuple[object, ...]:
        """``data_version``, read once per scope: one view builds one scope and asks for it
        for each of its figure lists."""
        return data_version(self)


# The kinds of place a dashboard covers (partner organisations have no aggregates of their own).
PLACE_KINDS = (NodeKind.UNIT, NodeKind.OFFICE, NodeKind.COUNTY, NodeKind.REGION, NodeKind.STATE)


def places_of(user: User) -> QuerySet[OrgNode]:
    """The places whose aggregates the user may see."""
    return (OrgNode.objects.filter(path_filter(aggregate_paths(user)))
            .filter(kind__in=PLACE_KINDS))


def scope_at(user: User, tool: ObservationTool, code: str) -> Scope:
    """The dashboard of ``tool`` at the place ``code``; ``OutsideScope`` if the user may not
    see that place's aggregates."""
    node = places_of(user).filter(code=code).first()
    if node is None:
        raise OutsideScope(f"No place {code!r} in your scope")
    return Scope(tool=tool, node=node, sees_people=sees_people_at(user, node))


def groups_by(scope: Scope, by: str) -> list[Group]:
    """The groups by a content level, a period or a place level; anything else is refused."""
    if by in CONTENT_LEVELS:
        return by_content(scope, by)
    if by in PERIODS:
        return by_period(scope, by)
    if by in PLACE_LEVELS:
        return by_place(scope, by)
    raise Refused("by must be a behavior, element, practice, place level or period.",
                  [Located("must be a behavior, element, practice, place level or period",
                           field="by")])


def data_version(scope: Scope) -> tuple[object, ...]:
    """Changes whenever an observation of the scope's tool is added, submitted, edited, amended
    or removed, or the organisation tree grows or the rule changes. Over all time it is the kept
    aggregates' version counter (one row, bumped by each submit and amendment); for a period,
    the fingerprint of the tool's observations."""
    tool = scope.tool
    found = (DashboardState.objects.filter(pk=scope.kept_state.pk).values_list(
        "version", "fingerprint").first() if scope.all_time else aggregates.fingerprint(tool))
    tree = OrgNode.objects.aggregate(count=Count("id"), last=Max("id"))
    return (found, tuple(tree.values()), tool.pk, tool.proficient_score, tool.worker_latest,
            tool.worker_meeting)


def _cached[T](scope: Scope, parts: tuple[object, ...], build: Callable[[], T]) -> T:
    """``build()`` kept in the shared cache under the data version, scope and ``parts``."""
    key = "fidelity-dash:" + hashlib.sha256(repr((
        getattr(settings, "FIDELITY_CACHE_SALT", ""), scope.version, scope.node.pk,
        scope.node.path, scope.sees_people, scope.since, scope.until, *parts)).encode()
    ).hexdigest()
    return kept(key, CACHE_SECONDS, build)


def scored_ratings(scope: Scope) -> QuerySet[Rating]:
    ratings = Rating.objects.filter(
        observation__tool=scope.tool, observation__status=Status.SUBMITTED,
        observation__paired_with__isnull=True, mark=Mark.RATED,
        observation__node__path__startswith=scope.node.path)
    if scope.since:
        ratings = ratings.filter(observation__observed_on__gte=scope.since)
    if scope.until:
        ratings = ratings.filter(observation__observed_on__lte=scope.until)
    return ratings


def _aggregate(ratings: QuerySet[Rating], scope: Scope, key: Any) -> list[dict[str, Any]]:
    rows = ratings.annotate(group_key=key).values("group_key").annotate(
        rated=Count("id"),
        proficient=Count("id", filter=Q(score__gte=scope.tool.proficient_score)),
        score_sum=Sum("score"),
        workers=Count("observation__worker", distinct=True),
        observations=Count("observation", distinct=True),
    ).order_by("group_key")
    return _with_mean(rows)


def _with_mean(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The mean score of each row as sum ÷ count in Python: the same float on every database
    (PostgreSQL's AVG is a rounded numeric) and whether the rows were kept or recomputed."""
    return [{**row, "mean": row["score_sum"] / row["rated"]} for row in rows]


def _aggregate_kept(scope: Scope, dimension: str, key: Any) -> list[dict[str, Any]]:
    """What ``_aggregate`` gives, summed from the kept rows of one dimension."""
    rows = DashboardAggregate.objects.filter(
        tool=scope.tool, dimension=dimension, node__path__startswith=scope.node.path,
    ).annotate(group_key=key).values("group_key").annotate(
        rated=Sum("rated"), proficient=Sum("proficient"), score_sum=Sum("score_sum"),
        workers=Count("worker", distinct=True), observations=Sum("observations"),
    ).order_by("group_key")
    return _with_mean(rows)


def _figures(scope: Scope, dimension: str, kept_key: Any, rating_key: Any
             ) -> list[dict[str, Any]]:
    if scope.all_time:
        return _aggregate_kept(scope, dimension, kept_key)
    return _aggregate(scored_ratings(scope), scope, rating_key)


def _group(row: dict[str, Any], label: str, scope: Scope) -> Group:
    small = row["workers"] < SMALL_GROUP
    return Group(key=str(row["group_key"]), label=label, workers=row["workers"],
                 observations=row["observations"], rated=row["rated"],
                 proficient=row["proficient"], mean=row["mean"], small=small,
                 hidden=small and not scope.sees_people)


def by_content(scope: Scope, level: str) -> list[Group]:
    """Scores per behavior, core practice element or front-line practice, in model order."""
    return _cached(scope, ("content", level), lambda: _by_content(scope, level))


def _by_content(scope: Scope, level: str) -> list[Group]:
    code_field, label_field = CONTENT_LEVELS[level]
    rows = _figures(scope, level, F("key"), F(code_field))
    own_code, own_label = (name.removeprefix("behavior__") for name in (code_field, label_field))
    behaviors = scope.tool.behaviors.order_by("order")
    labels = dict(behaviors.values_list(own_code, own_label))
    order = {code: index for index, code in enumerate(
        dict.fromkeys(behaviors.values_list(own_code, flat=True)))}
    groups = [_group(row, str(labels.get(row["group_key"]) or "Not linked"), scope)
              for row in rows]
    return sorted(groups, key=lambda group: order.get(group.key, len(order)))


def coaching_priorities(scope: Scope, count: int = 5) -> list[Group]:
    """The lowest-scoring behaviors: where coaching time helps most."""
    shown = [group for group in by_content(scope, "behavior")
             if not group.hidden and group.share is not None]
    return sorted(shown, key=lambda group: (group.share, group.key))[:count]


def _place_nodes(scope: Scope, kind: str) -> list[OrgNode]:
    inside = OrgNode.objects.filter(kind=kind, path__startswith=scope.node.path)
    if inside.exists():
        return list(inside)
    # Looking at a unit by county still answers: the one county containing it.
    codes = scope.node.path.strip("/").split("/")
    return list(OrgNode.objects.filter(kind=kind, code__in=codes))


def _place_key(scope: Scope, level: str, prefix: str) -> tuple[Any, dict[str, str]]:
    """The group key of ``level`` on ratings (``prefix`` "observation__") or on kept rows
    (""), and each key's label."""
    if level == "worker":
        people = User.objects.filter(
            observations_received__node__path__startswith=scope.node.path).distinct()
        return F(f"{prefix}worker_id"), {str(p.pk): str(p) for p in people}
    if level == "unit":
        units = OrgNode.objects.filter(kind=NodeKind.UNIT, path__startswith=scope.node.path)
        return F(f"{prefix}node_id"), {str(n.pk): n.name for n in units}
    nodes = _place_nodes(scope, level)
    whens = [When(**{f"{prefix}node__path__startswith": node.path}, then=Value(node.code))
             for node in nodes]
    key = Case(*whens, default=Value(""), output_field=CharField()) if whens else Value("")
    return key, {node.code: node.name for node in nodes}


def by_place(scope: Scope, level: str) -> list[Group]:
    """Scores per worker (only for people who may see workers), unit, office, county, region or
    the whole state, as one grouped query."""
    if level == "worker" and not scope.sees_people:
        return []
    return _cached(scope, ("place", level), lambda: _by_place(scope, level))


def _by_place(scope: Scope, level: str) -> list[Group]:
    prefix = "" if scope.all_time else "observation__"
    key, labels = _place_key(scope, level, prefix)
    rows = _figures(scope, "place", key, key)
    if level == "state":
        return [_group(row, scope.node.name, scope) for row in rows][:1]
    return [_group(row, labels.get(str(row["group_key"]), "Elsewhere"), scope) for row in rows]


def by_period(scope: Scope, period: str) -> list[Group]:
    return _cached(scope, ("period", period), lambda: _by_period(scope, period))


def _by_period(scope: Scope, period: str) -> list[Group]:
    # The period keys kept with each observation: no date function per rating.
    key = F("observation__observed_month" if period == "month" else "observation__observed_quarter")
    rows = _figures(scope, period, F("key"), key)
    return [_group(row, _period_label(row["group_key"], period), scope) for row in rows]


def _period_label(start: date | str, period: str) -> str:
    start = date.fromisoformat(start) if isinstance(start, str) else start
    if period == "month":
        return start.strftime("%Y-%m")
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def charted(groups: Sequence[Group]) -> list[Group]:
    """The groups a chart may draw: those its table shows with a figure. A hidden group is left
    out of the chart as it is out of the table, and out of anything computed for the chart (a
    run chart's median and signals), which would otherwise give it away."""
    return [group for group in groups if not group.hidden and group.share is not None]


def run_chart_of(groups: Sequence[Group]) -> RunChart:
    return run_chart([group.share for group in charted(groups) if group.share is not None])


def run_rows(groups: Sequence[Group], chart: RunChart) -> list[tuple[Group, str]]:
    """Every period for the table beside the run chart, with its signal ("" for a hidden
    period, which the chart does not draw)."""
    shown = charted(groups)
    flags = dict(zip((group.key for group in shown), chart.flags(len(shown)), strict=True))
    return [(group, flags.get(group.key, "")) for group in groups]


@dataclass(frozen=True)
class WorkerStatus:
    worker_id: int
    node_id: int
    considered: int
    meeting: int
    meets: bool


def worker_statuses(scope: Scope) -> list[WorkerStatus]:
    """Each worker's latest ``worker_latest`` scored observations inside the scope's place:
    today's from the kept statuses (``aggregates``: one row per worker), or as of
    ``scope.until`` when it is set, numbered by a window function and counted in SQL."""
    tool = scope.tool
    if scope.until is None:
        scope.kept_state  # noqa: B018  (rebuilt first if rows were written around the services)
        kept = DashboardWorkerStatus.objects.filter(tool=tool, place=scope.node).order_by(
            "worker_id").values_list("worker_id", "node_id", "considered", "meeting")
        return [_status(tool, *row) for row in kept]
    observed = Observation.objects.scored().filter(tool=tool, observed_on__lte=scope.until)
    latest = (observed.filter(path_filter([scope.node.path], field="node__path"))
              .annotate(rn=Window(RowNumber(), partition_by=[F("worker_id")],
                                  order_by=[F("observed_on").desc(), F("id").desc()]))
              .order_by().values("worker_id", "node_id", "meets_fidelity", "rn"))
    inner, params = latest.query.sql_with_params()
    # The inner query is Django's own, its parameters kept separate: nothing user-typed is spliced.
    sql = ("SELECT worker_id, MAX(CASE WHEN rn = 1 THEN node_id END), "  # noqa: S608
           "SUM(CASE WHEN meets_fidelity THEN 1 ELSE 0 END), COUNT(*) "
           f"FROM ({inner}) latest WHERE rn <= %s GROUP BY worker_id ORDER BY worker_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, tool.worker_latest])
        rows = cursor.fetchall()
    return [_status(tool, worker, node, count, int(met or 0)) for worker, node, met, count in rows]


def _status(tool: ObservationTool, worker: int, node: int, considered: int, meeting: int
            ) -> WorkerStatus:
    """A worker's status from their latest observations considered and those meeting fidelity."""
    return WorkerStatus(worker, node, considered, meeting, worker_result(tool, [True] * meeting))


@dataclass(frozen=True)
class AtFidelity:
    key: str
    label: str
    workers: int
    meeting: int
    hidden: bool

    @property
    def share(self) -> float | None:
        return self.meeting / self.workers if self.workers else None

    @property
    def small(self) -> bool:
        return self.workers < SMALL_GROUP

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.meeting, self.workers)


def workers_at_fidelity(scope: Scope, level: str) -> list[AtFidelity]:
    """Share of workers meeting the worker rule, per place (workers, not ratings, are counted)."""
    return _cached(scope, ("at_fidelity", level), lambda: _workers_at_fidelity(scope, level))


def _workers_at_fidelity(scope: Scope, level: str) -> list[AtFidelity]:
    statuses = worker_statuses(scope)
    nodes = {node.pk: node for node in OrgNode.objects.filter(
        pk__in={status.node_id for status in statuses})}
    groups = ([] if level in {"worker", "state", "unit"}
              else _place_nodes(scope, level))
    tally: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    for status in statuses:
        node = nodes[status.node_id]
        if level == "unit":
            key, label = node.code, node.name
        elif level in {"state", "worker"}:
            key, label = scope.node.code, scope.node.name
        else:
            found = next((g for g in groups if node.path.startswith(g.path)), None)
            key, label = (found.code, found.name) if found else ("", "Elsewhere")
        counts = tally.setdefault(key, [0, 0])
        counts[0] += 1
        counts[1] += int(status.meets)
        labels[key] = label
    return [AtFidelity(key, labels[key], workers, meeting,
                       hidden=workers < SMALL_GROUP and not scope.sees_people)
            for key, (workers, meeting) in sorted(tally.items(), key=lambda kv: labels[kv[0]])]
