"""The dashboard's kept aggregates: scored ratings summed per worker, unit and grouping key, and
each worker's status under the worker rule per place (``DashboardWorkerStatus``).

A submit or an amendment refreshes the rows of the one worker it touches, in its own
transaction (``keeping``), so the view after it reads a few rows per worker instead of every
rating. Each tool's ``DashboardState`` holds the fingerprint of what the rows were built from
(its submitted observations counted, the newest created and submitted, every edit version, the
newest amendment, the rule, the behaviors' codes and the tree's places); a view that finds another
fingerprint (rows written around the services: the demo, a bulk load, a deletion) rebuilds the
tool's rows first (``current``). The rows are made by the dashboard's own grouped query over the
ratings, restricted to the workers refreshed, so they hold exactly what a recompute would count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value

from practicehub.accounts.models import OrgNode
from practicehub.fidelity.models import (
    Amendment,
    DashboardAggregate,
    DashboardState,
    DashboardWorkerStatus,
    Mark,
    Observation,
    ObservationTool,
    Rating,
    Status,
)

# Each dimension and what its key is in the rating query.
DIMENSIONS: dict[str, Any] = {
    "place": Value(""),
    "month": F("observation__observed_month"),
    "quarter": F("observation__observed_quarter"),
    "behavior": F("behavior__code"),
    "element": F("behavior__element__code"),
    "practice": F("behavior__practice__code"),
}


def fingerprint(tool: ObservationTool) -> str:
    """Changes whenever a submitted observation of ``tool`` is added, edited, amended or
    removed, or what a row counts changes (the proficient point, the behaviors' codes): one
    indexed pass over submitted observations, not ratings. Drafts never count, so starting or
    saving one leaves it as it is."""
    found = Observation.every_kind.filter(tool=tool, status=Status.SUBMITTED).aggregate(
        count=Count("id"), last=Max("id"), created=Max("created_at"),
        submitted=Max("submitted_at"), edits=Sum("edit_version"))
    amended = Amendment.objects.filter(observation__tool=tool).aggregate(last=Max("id"))
    codes = list(tool.behaviors.order_by("pk").values_list(
        "code", "element__code", "practice__code"))
    # The kept worker statuses hold the newest ``worker_latest`` per place: the rule and the
    # tree's places (a place moved elsewhere) count too.
    tree = list(OrgNode.objects.order_by("pk").values_list("pk", "path"))
    text = repr((tuple(found.values()), amended["last"], tool.proficient_score, codes,
                 tool.observation_share, tool.worker_latest, tree))
    return hashlib.sha256(text.encode()).hexdigest()


def _ratings(tool: ObservationTool, workers: Iterable[int] | None) -> QuerySet[Rating]:
    ratings = Rating.objects.filter(
        observation__tool=tool, observation__status=Status.SUBMITTED,
        observation__paired_with__isnull=True, mark=Mark.RATED)
    return ratings if workers is None else ratings.filter(observation__worker_id__in=workers)


def _key(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _rows(tool: ObservationTool, workers: Iterable[int] | None) -> Iterator[DashboardAggregate]:
    ratings = _ratings(tool, workers)
    for dimension, key in DIMENSIONS.items():
        grouped = ratings.annotate(group_key=key).values(
            "group_key", "observation__node_id", "observation__worker_id").annotate(
            rated=Count("id"),
            proficient=Count("id", filter=Q(score__gte=tool.proficient_score)),
            score_sum=Sum("score"),
            observations=Count("observation", distinct=True)).order_by()
        for row in grouped.iterator(chunk_size=5000):
            yield DashboardAggregate(
                tool=tool, node_id=row["observation__node_id"],
                worker_id=row["observation__worker_id"], dimension=dimension,
                key=_key(row["group_key"]), observations=row["observations"],
                rated=row["rated"], proficient=row["proficient"], score_sum=row["score_sum"])


def _statuses(tool: ObservationTool, workers: Iterable[int] | None
              ) -> Iterator[DashboardWorkerStatus]:
    """Each worker's newest ``worker_latest`` scored observations inside each place holding one
    of them, newest first as ``dashboards.worker_statuses`` ranks them (by day, then id)."""
    observed = Observation.objects.scored().filter(tool=tool)
    if workers is not None:
        observed = observed.filter(worker_id__in=workers)
    places = dict(OrgNode.objects.values_list("path", "pk"))
    rows = observed.order_by("worker_id", "-observed_on", "-id").values_list(
        "worker_id", "node_id", "node__path", "meets_fidelity")
    for worker, theirs in groupby(rows.iterator(chunk_size=5000), key=itemgetter(0)):
        kept: dict[int, DashboardWorkerStatus] = {}
        for _, node, path, meets in theirs:
            for place in _places_holding(path, places):
                status = kept.setdefault(place, DashboardWorkerStatus(
                    tool=tool, place_id=place, worker_id=worker, node_id=node,
                    considered=0, meeting=0))
                if status.considered < tool.worker_latest:
                    status.considered += 1
                    status.meeting += int(bool(meets))
        yield from kept.values()


def _places_holding(path: str, places: dict[str, int]) -> Iterator[int]:
    """The node at ``path`` and every node above it."""
    codes = path.strip("/").split("/")
    for depth in range(1, len(codes) + 1):
        found = places.get("/" + "/".join(codes[:depth]) + "/")
        if found is not None:
            yield found


def _fill(tool: ObservationTool, workers: list[int] | None) -> None:
    for model in (DashboardAggregate, DashboardWorkerStatus):
        kept = model.objects.filter(tool=tool)
        (kept if workers is None else kept.filter(worker_id__in=workers)).delete()
    DashboardAggregate.objects.bulk_create(_rows(tool, workers), batch_size=2000)
    DashboardWorkerStatus.objects.bulk_create(_statuses(tool, workers), batch_size=2000)


def _locked_state(tool: ObservationTool) -> DashboardState:
    DashboardState.objects.get_or_create(tool=tool, defaults={"fingerprint": ""})
    return DashboardState.objects.select_for_update().get(tool=tool)


def rebuild(tool: ObservationTool) -> DashboardState:
    """Every row of ``tool`` made again from its ratings (the migration's fill, the fallback
    when rows were written around the services); the state then holds the new fingerprint."""
    with transaction.atomic():
        state = _locked_state(tool)
        _fill(tool, None)
        state.fingerprint, state.version = fingerprint(tool), state.version + 1
        state.save(update_fields=["fingerprint", "version"])
    return state


def current(tool: ObservationTool) -> DashboardState:
    """The state of ``tool``'s rows, rebuilt first when they were not made from what is stored
    now."""
    now = fingerprint(tool)
    state = DashboardState.objects.filter(tool=tool).first()
    if state is not None and state.fingerprint == now:
        return state
    with transaction.atomic():
        state = _locked_state(tool)
        if state.fingerprint == fingerprint(tool):  # another request rebuilt them meanwhile
            return state
        return rebuild(tool)


# The workers each open ``keeping`` of a tool will refresh: an inner one (each submit of an
# import) adds its workers to the outer one's, which refreshes them all once, at its end.
_OPEN: ContextVar[dict[int, set[int]] | None] = ContextVar("fidelity_aggregates_open",
                                                           default=None)


@contextmanager
def keeping(tool: ObservationTool, worker_ids: Iterable[int]) -> Iterator[None]:
    """Around a change of observations of ``worker_ids``: one transaction that makes the change
    and refreshes those workers' rows. The state keeps its fingerprint current only if the rows
    were current before the change; otherwise the next view rebuilds them all. Inside another
    ``keeping`` of the same tool (an import's submits) it leaves the refresh to that one."""
    opened = _OPEN.get()
    if opened is not None and tool.pk in opened:
        opened[tool.pk].update(worker_ids)
        yield
        return
    workers = set(worker_ids)
    token = _OPEN.set({**(opened or {}), tool.pk: workers})
    try:
        with transaction.atomic():
            state = _locked_state(tool)
            was_current = state.fingerprint == fingerprint(tool)
            yield
            _fill(tool, sorted(workers))
            if was_current:
                state.fingerprint, state.version = fingerprint(tool), state.version + 1
                state.save(update_fields=["fingerprint", "version"])
    finally:
        _OPEN.reset(token)
