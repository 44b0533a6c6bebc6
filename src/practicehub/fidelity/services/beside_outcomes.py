"""Fidelity beside outcomes: each office's and worker's fidelity next to the outcomes of the
episodes they carried. Descriptive only: offices and workers differ in their cases, so nothing
here says that fidelity causes the outcomes.

**Who carried an episode.** The worker whose assignment covers the episode's removal date:
``start_date ≤ removal_date`` and (``end_date`` empty or ``end_date > removal_date``), the end day
itself belonging to the next assignment. When several assignments cover that day, the one that
started latest counts (then the smallest worker id), so an episode has at most one worker. The
episode's office is that assignment's office, or the episode's own office when the assignment names
none. Episodes without an assignment on their removal date are in no row. ``worker_id`` is the
platform user name (the convention of docs/outcomes.md).

**Outcomes.** P1 (permanency in 12 months for children entering) and P5 (placement moves per 1,000
days), both cohorts of episodes entered in the period and anchored on the removal date. Each is the
engine's own measure, computed where the imported tables are (DuckDB or PostgreSQL) with every
episode's office replaced by its carrier (office or worker), so the rule and the SQL are the
measure's; intervals and the small-cell suppression of spec §5 as everywhere (no suppression with
``outcomes.unsuppressed``).

**Fidelity.** The share of proficient ratings of first observers' submitted observations made in
the same period, with its Wilson interval: the fidelity dashboard's score
(``fidelity.services.dashboards``). Office groups of fewer than 5 workers are hidden from people
who may not see that office's workers, as on the dashboard.

**Who sees which rows.** Offices inside the user's fidelity aggregate scope; workers only for
people who may see workers' fidelity (``fidelity.people``) in their scope, and a practitioner only
themselves. Outcome figures are further limited to the counties of ``outcome_scope``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
from django.db.models import Q, QuerySet

from practicehub.accounts.models import NodeKind, OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Role
from practicehub.accounts.scoping import path_filter
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.services.access import aggregate_paths, people_paths, sees_people_at
from practicehub.outcomes.data.store import OutcomeData
from practicehub.outcomes.engine import computing, suppression
from practicehub.outcomes.engine.measures import MEASURES, MeasureParams, measures_on
from practicehub.outcomes.engine.periods import Period, add_months
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.engine.tables import OutcomeTables
from practicehub.outcomes.services import reading
from practicehub.outcomes.services.access import OutcomeScope
from practicehub.outcomes.services.dashboard_data import DashboardData

LINKED_MEASURES = measures_on("fidelity")  # P1 and P5, in the registry's order
Level = Literal["office", "worker"]


@dataclass(frozen=True)
class LinkedRow:
    """One office or worker: fidelity in the period beside the outcomes of the episodes carried."""

    key: str  # office code or user name
    label: str
    fidelity: dashboards.Group | None  # None: no scored ratings in the period
    outcomes: tuple[ResultRow, ...]  # one per LINKED_MEASURES, in that order

    def outcome(self, measure: str) -> ResultRow:
        return self.outcomes[LINKED_MEASURES.index(measure)]


@dataclass(frozen=True)
class FidelityOutcomes:
    period: Period
    tool: ObservationTool
    offices: list[LinkedRow]
    workers: list[LinkedRow]
    suppressed: bool  # small-cell suppression applied (the viewer lacks outcomes.unsuppressed)


# ----------------------------------------------------------------------------- who is in scope


def offices_in_scope(user: User) -> QuerySet[OrgNode]:
    """Offices whose fidelity aggregates the user may see."""
    return OrgNode.objects.filter(path_filter(aggregate_paths(user)), kind=NodeKind.OFFICE)


def workers_in_scope(user: User) -> QuerySet[User]:
    """Practitioners whose fidelity the user may see person by person: in their ``fidelity.people``
    scope, and themselves when they are a practitioner."""
    chain = path_filter(people_paths(user), field="role_assignments__node__path")
    practitioner = Q(role_assignments__role=Role.PRACTITIONER)
    return (User.objects.filter((chain & practitioner) | (Q(pk=user.pk) & practitioner))
            .distinct().order_by("last_name", "first_name", "username"))


def offices_of(worker: User, offices: QuerySet[OrgNode]) -> list[OrgNode]:
    """The offices among ``offices`` holding the worker's practitioner role."""
    paths = RoleAssignment.objects.filter(user=worker, role=Role.PRACTITIONER).values_list(
        "node__path", flat=True)
    return [office for office in offices if any(path.startswith(office.path) for path in paths)]


# ----------------------------------------------------------------------------- periods and data


def _cached[T](data: OutcomeData, parts: tuple[object, ...], build: Callable[[], T]) -> T:
    """``build()`` kept in the shared cache under the imported file's version (when the data
    are the server's imported file; data loaded otherwise are read each time)."""
    version = getattr(data, "version", "")
    return reading.cached(version, ("fidelity-link", *parts), build) if version else build()


def has_assignments(data: OutcomeData) -> bool:
    def build() -> bool:
        tables = data.fetch("SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = current_schema()")
        return any(row["table_name"] == "assignments" for row in tables)

    return _cached(data, ("has_assignments",), build)


def data_until(data: OutcomeData) -> date | None:
    """The data's last removal date: how far the extract reaches; None without episodes."""
    def build() -> tuple[date | None]:
        latest = data.fetch("SELECT max(removal_date) AS latest FROM episodes")[0]["latest"]
        return (latest if isinstance(latest, date) else None,)

    return _cached(data, ("data_until",), build)[0]


def default_period(data: OutcomeData) -> Period | None:
    """The outcome dashboards' default (one rule for every outcome page): the latest federal
    year whose entries have all had 12 months to reach permanency; None without episodes."""
    from practicehub.outcomes.services.dashboard_periods import (
        default_period as dashboards_default,
    )

    latest = data_until(data)
    return None if latest is None else dashboards_default(latest)


# ----------------------------------------------------------------------------- outcomes


def carriers(tables: OutcomeTables, level: Level) -> ir.Table:
    """Per episode, the worker (or office) of the assignment covering its removal date."""
    assignments = tables.assignments
    assert assignments is not None
    episodes = tables.episodes.select(
        carried_episode_id="episode_id", carried_removal="removal_date", episode_office="office")
    pairs = episodes.join(assignments, episodes.carried_episode_id == assignments.episode_id)
    covering = pairs.filter(
        pairs.start_date <= pairs.carried_removal,
        pairs.end_date.isnull() | (pairs.end_date > pairs.carried_removal),
    )
    carrier = covering.worker_id if level == "worker" else covering.office.fill_null(
        covering.episode_office)
    window = ibis.window(group_by=covering.carried_episode_id,
                         order_by=[covering.start_date.desc(), covering.worker_id])
    ranked = covering.mutate(carrier=carrier, _rank=ibis.row_number().over(window))
    return ranked.filter(ranked._rank == 0).select("carried_episode_id", "carrier")


def _carried(table: ir.Table, carried: ir.Table) -> ir.Table:
    """``table`` (episodes or their facts) with ``office`` holding the carrier instead."""
    joined = table.left_join(carried, table.episode_id == carried.carried_episode_id)
    return joined.mutate(office=joined.carrier).drop("carried_episode_id", "carrier")


def linked_tables(level: Level) -> OutcomeTables:
    """The measure tables with each episode's office replaced by its carrier."""
    tables = OutcomeTables.unbound()
    carried = carriers(tables, level)
    episode_tables = [field.name for field in dataclasses.fields(tables)
                      if field.name in ("episodes", "episode_facts")]
    return dataclasses.replace(
        tables, **{name: _carried(getattr(tables, name), carried) for name in episode_tables})


@lru_cache(maxsize=256)
def linked_sql(measure_id: str, params: MeasureParams, level: Level, dialect: str) -> str:
    """The measure by carrier, as SQL of the store's dialect; compiling is slow, so it is
    cached."""
    expr = MEASURES[measure_id].function(linked_tables(level), params)
    return computing.to_sql(expr, dialect)


def _fetch_linked(data: OutcomeData, measure_id: str, params: MeasureParams,
                  level: Level) -> list[dict[str, Any]]:
    return data.fetch(linked_sql(measure_id, params, level, data.dialect))


def _number(value: Any) -> float | None:
    return None if value is None or value != value else float(value)  # NULL or NaN: no value


def _row(measure_id: str, period: Period, level: Level, key: str, numerator: int,
         denominator: int, value: float | None) -> ResultRow:
    bounds = computing.interval(MEASURES[measure_id], numerator, denominator)
    return ResultRow(measure_id, period.start, period.end, ((level, key),), numerator,
                     denominator, value, *(bounds or (None, None)))


def outcome_rows(data: OutcomeData, period: Period, level: Level, keys: list[str],
                 scope: OutcomeScope) -> dict[str, list[ResultRow]]:
    """Per measure, one row per key (in the order of ``keys``; 0 of 0 when nothing was carried),
    suppressed unless the scope is unsuppressed."""
    if not keys or scope.empty:
        return {measure: [] for measure in LINKED_MEASURES}
    # Only the county scope goes into the SQL: the keys differ per page and compiling is slow, so
    # the query gives every carrier's sums (a row per office or worker) and the wanted are kept.
    params = MeasureParams.build(period, ("office",), scope=scope.engine_scope())
    result: dict[str, list[ResultRow]] = {}
    for measure in LINKED_MEASURES:
        # Kept by what the SQL is compiled from: a kept answer needs no compiling (0.15 s the
        # first time in a process).
        fetched = _cached(data, ("carriers", measure, params, level, data.dialect),
                          partial(_fetch_linked, data, measure, params, level))
        found = {str(record["office"]): record for record in fetched}
        rows = [_row(measure, period, level, key, int(found[key]["numerator"]),
                     int(found[key]["denominator"]), _number(found[key]["value"]))
                if key in found else _row(measure, period, level, key, 0, 0, None)
                for key in keys]
        result[measure] = rows if scope.unsuppressed else suppression.suppress(rows, (level,))
    return result


# ----------------------------------------------------------------------------- fidelity


def _common_node(paths: list[str]) -> OrgNode:
    """The lowest node containing every path."""
    parts = [path.strip("/").split("/") for path in paths]
    common: list[str] = []
    for codes in zip(*parts, strict=False):
        if len(set(codes)) > 1:
            break
        common.append(codes[0])
    return OrgNode.objects.get(path="/" + "/".join(common) + "/")


def _fidelity_scope(tool: ObservationTool, paths: list[str], period: Period) -> dashboards.Scope:
    # sees_people: the rows were already limited to what the viewer may see; hiding is per row.
    return dashboards.Scope(tool=tool, node=_common_node(paths), sees_people=True,
                            since=period.start, until=period.end)


def office_fidelity(user: User, tool: ObservationTool, period: Period,
                    offices: list[OrgNode]) -> dict[str, dashboards.Group]:
    """Each office's score in the period; small groups hidden as on the fidelity dashboard."""
    if not offices:
        return {}
    scope = _fidelity_scope(tool, [office.path for office in offices], period)
    groups = {group.key: group for group in dashboards.by_place(scope, "office")}
    return {office.code: dataclasses.replace(
                groups[office.code],
                hidden=groups[office.code].small and not sees_people_at(user, office))
            for office in offices if office.code in groups}


def worker_fidelity(tool: ObservationTool, period: Period,
                    workers: list[User]) -> dict[str, dashboards.Group]:
    """Each worker's score in the period, by user name."""
    units = list(RoleAssignment.objects.filter(user__in=workers, role=Role.PRACTITIONER)
                 .values_list("node__path", flat=True))
    if not units:
        return {}
    groups = dashboards.by_place(_fidelity_scope(tool, units, period), "worker")
    by_pk = {str(worker.pk): worker.username for worker in workers}
    return {by_pk[group.key]: group for group in groups if group.key in by_pk}


# ----------------------------------------------------------------------------- together


def _linked(level: Level, keys: list[tuple[str, str]], fidelity: dict[str, dashboards.Group],
            outcomes: dict[str, list[ResultRow]]) -> list[LinkedRow]:
    return [LinkedRow(key, label, fidelity.get(key),
                      tuple(outcomes[measure][index] for measure in LINKED_MEASURES))
            for index, (key, label) in enumerate(keys)]


def fidelity_outcomes(data: OutcomeData, user: User, tool: ObservationTool, period: Period,
                      scope: OutcomeScope, offices: list[OrgNode],
                      workers: list[User]) -> FidelityOutcomes:
    """Rows for ``offices`` and ``workers``, which the caller took from :func:`offices_in_scope`
    and :func:`workers_in_scope`."""
    office_keys = [(office.code, office.name) for office in offices]
    worker_keys = [(worker.username, worker.get_full_name() or worker.username)
                   for worker in workers]
    office_rows = _linked(
        "office", office_keys, office_fidelity(user, tool, period, offices),
        outcome_rows(data, period, "office", [key for key, _ in office_keys], scope))
    worker_rows = _linked(
        "worker", worker_keys, worker_fidelity(tool, period, workers),
        outcome_rows(data, period, "worker", [key for key, _ in worker_keys], scope))
    return FidelityOutcomes(period, tool, office_rows, worker_rows, not scope.unsuppressed)


def follow_up_complete(period: Period, data_until: date) -> bool:
    """Whether every entry of the period has had its 12 months by ``data_until``."""
    return add_months(period.end, 12) <= data_until


def warm(data: DashboardData) -> None:
    """/fidelity/outcomes/ statewide: every office's and worker's sums of its default period."""
    period = default_period(data.runner)
    if period is None or not has_assignments(data.runner):
        return
    statewide = OutcomeScope(statewide=True, counties=(), unsuppressed=True)
    for level in ("office", "worker"):
        outcome_rows(data.runner, period, level, ["-"], statewide)
