"""Facts that do not depend on the period, derived once when data are loaded, shared by measures.

Every measure needs a child's race/ethnicity and 18th birthday beside each episode, P1 the last
placement of an episode, P4 the child's next removal, P5 the placements that count as moves and
the days placements cover, S1 and S2 the substantiated or indicated reports with the child's
facts. Deriving them inside every measure made each query join and recompute them again (19 times
for the full measure set); doing it once at load time turns most measures into one filtered scan
of one table (ADR 0008).

The facts are Ibis expressions over the contract tables, built from the rules in ``derived`` (one
place per rule), so any backend creates them with the SQL of its own dialect: see
:func:`create_statements`. Their names are fixed table names that the measures read like contract
tables (``OutcomeTables.unbound()`` carries both).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine import contract, derived

# S2: a second report within this many days is taken as part of the first incident.
RECURRENCE_MIN_DAYS = 14


class FactSources(Protocol):
    """The contract tables the facts are built from (any backend's, or unbound)."""

    @property
    def children(self) -> ir.Table: ...

    @property
    def episodes(self) -> ir.Table: ...

    @property
    def placements(self) -> ir.Table: ...

    @property
    def maltreatment_reports(self) -> ir.Table: ...


@dataclass(frozen=True)
class FactInputs:
    """What a fact table is built from: the contract tables, and the fact tables before it in
    :data:`FACTS` as tables of their names, so that what several facts need (a child's key and
    fields, an episode's key, the ordered placements) is derived once and read by the others."""

    sources: FactSources
    built: Mapping[str, ir.Table]
    # Number keys within hash buckets (Spark), rather than in one pass (:func:`surrogate_key`).
    bucketed_keys: bool = False

    def fact(self, name: str) -> ir.Table:
        return self.built[name]


# A key is a whole number per id. DuckDB and PostgreSQL number the rows in one pass
# (ROW_NUMBER() OVER ()): consecutive numbers, which their storage packs into a few bits and
# their joins hash cheaply; a random 64-bit key made every fact table carrying it larger and
# took a sort per key. Spark numbers a window without PARTITION BY in one task, through which
# it would send the whole table, so there the keys are numbered within buckets of a hash of the
# id: bucket * KEY_SLOTS + the id's place in its bucket (ids sharing a bucket, a hash
# collision, still get different places, so the keys are exact without a check; Spark's hash is
# its 32-bit Murmur3). Each key is numbered once, in ``child_facts`` or ``episode_keys``, and
# every other fact table joins it: the keys differ between engines and between imports, never
# the rows they join.
KEY_BUCKETS = 2**31
KEY_SLOTS = 2**32
BUCKETED_KEY_DIALECTS = frozenset({"pyspark", "spark"})


def surrogate_key(table: ir.Table, id_column: str, *, bucketed: bool) -> ir.IntegerValue:
    """A distinct whole number per row of ``table`` (one per id: the ids are unique there).
    Measures join episodes to moves and children to reports on these: joining on integers is
    several times faster than on text ids."""
    if not bucketed:
        return ibis.row_number().cast("int64")
    ids = table[id_column]
    bucket = ids.hash() % KEY_BUCKETS
    place = ibis.row_number().over(ibis.window(group_by=bucket, order_by=ids))
    return (bucket.cast("int64") * KEY_SLOTS + place).cast("int64")


def child_facts(inputs: FactInputs) -> ir.Table:
    """Children with their key and the derived fields the measures group and cut by."""
    children = inputs.sources.children
    return children.select(
        "child_id",
        "birth_date",
        "sex",
        child_key=surrogate_key(children, "child_id", bucketed=inputs.bucketed_keys),
        race_ethnicity=derived.race_ethnicity(children),
        eighteenth=derived.eighteenth_birthday(children.birth_date),
    )


def last_placements(placement_facts: ir.Table) -> ir.Table:
    """The last placement of each episode (latest start date, then latest in file order): the
    last of its placements in ``placement_facts``' order."""
    last = placement_facts.filter(placement_facts.is_last)
    return last.select(
        last_episode_key=last.episode_key, last_setting=last.setting, last_start=last.start_date
    )


def next_removals(episodes: ir.Table) -> ir.Table:
    """Per episode, the earliest removal of another episode of the child on or after its discharge.

    Episodes of one child never overlap, so this is the child's next episode; written as a join
    rather than LEAD so that a second episode starting on the discharge day is found whatever the
    order of equal dates.
    """
    later = episodes.select(
        later_child_id="child_id", later_episode_id="episode_id", later_removal="removal_date"
    )
    discharged = episodes.filter(episodes.discharge_date.notnull())
    pairs = discharged.join(later, discharged.child_id == later.later_child_id)
    after = pairs.filter(
        pairs.later_episode_id != pairs.episode_id, pairs.later_removal >= pairs.discharge_date
    )
    return after.group_by(next_episode_id=after.episode_id).aggregate(
        next_removal=after.later_removal.min()
    )


def _previous(table: ir.Table, value: str, order: tuple[str, ...],
              child: str = "child_id") -> ir.Value:
    """The child's previous row's ``value`` in ``order`` (NULL for the first). ``child``: the
    column naming the child (``child_key`` where the table has it: an integer is cheaper to
    partition by than the text id; the episodes' windows were slower after the join that would
    bring it, so they keep ``child_id``)."""
    window = ibis.window(group_by=table[child], order_by=[table[name] for name in order])
    return table[value].lag().over(window)


def previous_episodes(episodes: ir.Table) -> ir.Table:
    """Per episode, the removal or discharge date of the child's previous episode of each cohort.

    A measure taking "per child the earliest episode in the period" then keeps an episode in the
    period whose previous one is before the period (``derived.earliest_from``), with no window
    over the data at query time. "Earliest" orders by date, then id; which episodes compete is
    fixed by the cohort's period-independent rules, and the age rule (before the 18th birthday)
    keeps the earliest ones, so it can be left to the measure.
    """
    order = ("removal_date", "episode_id")
    entries = episodes.select(
        "episode_id", previous_removal=_previous(episodes, "removal_date", order)
    )
    eligible = episodes.filter(derived.is_entry_cohort_episode(
        episodes.removal_date, episodes.discharge_date, episodes.discharge_reason))
    p1 = eligible.select(
        p1_episode_id="episode_id",
        previous_p1_removal=_previous(eligible, "removal_date", order),
    )
    discharged = episodes.filter(derived.is_reentry_cohort_discharge(episodes.discharge_reason))
    p4 = discharged.select(
        p4_episode_id="episode_id",
        previous_p4_discharge=_previous(
            discharged, "discharge_date", ("discharge_date", "episode_id")
        ),
    )
    joined = entries.left_join(p1, entries.episode_id == p1.p1_episode_id)
    joined = joined.left_join(p4, joined.episode_id == p4.p4_episode_id)
    return joined.select(
        previous_episode_id="episode_id", previous_removal="previous_removal",
        previous_p1_removal="previous_p1_removal", previous_p4_discharge="previous_p4_discharge",
    )


def episode_facts(inputs: FactInputs) -> ir.Table:
    """Episodes with the child's facts, the last placement, the child's next removal and the
    child's previous episodes of each cohort."""
    episodes = inputs.sources.episodes
    with_child = episodes.join(inputs.fact("child_facts"), "child_id")
    keys = inputs.fact("episode_keys")
    joined = with_child.join(keys, with_child.episode_id == keys.key_episode_id)
    last = last_placements(inputs.fact("placement_facts"))
    joined = joined.left_join(last, joined.episode_key == last.last_episode_key)
    following = next_removals(episodes)
    joined = joined.left_join(following, joined.episode_id == following.next_episode_id)
    previous = previous_episodes(episodes)
    joined = joined.left_join(previous, joined.episode_id == previous.previous_episode_id)
    return joined.select(
        *contract.TABLES_BY_NAME["episodes"].column_names,
        "episode_key", "child_key", "birth_date", "sex", "race_ethnicity", "eighteenth",
        "last_setting", "last_start", "next_removal",
        "previous_removal", "previous_p1_removal", "previous_p4_discharge",
    )


def episode_keys(inputs: FactInputs) -> ir.Table:
    """Each episode's key, numbered once for every fact table that carries it."""
    episodes = inputs.sources.episodes
    return episodes.select(key_episode_id="episode_id",
                           episode_key=surrogate_key(episodes, "episode_id",
                                                       bucketed=inputs.bucketed_keys))


def _placement_window(table: ir.Table, rows: tuple[int | None, int | None] | None = None
                      ) -> Any:
    """The episode's placements in order: start date, then file order."""
    order = [table.start_date, table[contract.PLACEMENT_ORDER_COLUMN]]
    return ibis.window(group_by=table.episode_key, order_by=order, rows=rows)


def placement_facts(inputs: FactInputs) -> ir.Table:
    """Per placement (P5): whether it is a move, whether a placement covers the day it starts,
    and the days it adds to its episode's covered days; its setting, and whether it is the
    episode's last (P1 reads the last placement's setting through ``episode_facts``).

    In the order of the episode's placements (start date, then file order), placement i covers
    ``[start_date, cover_end)`` (``derived.placement_cover_end``). Placements may overlap, so each
    gets the piece ``[max(start_date, the latest cover end before it), cover_end)`` clipped to the
    episode: the pieces are disjoint and together cover exactly the union, so a day is never
    counted twice and measures only clip and add them up. An earlier placement without an
    end_date covers only up to the next start, never past placement i's start, so "the latest
    cover end before it" is the latest end_date before it, and one ordered pass finds everything
    but one case: a day on which several placements start is covered when any of them covers it
    (``covers_own_start``), which a small aggregate of those days settles.
    """
    placements, episodes = inputs.sources.placements, inputs.sources.episodes
    keys = inputs.fact("episode_keys")
    spans = episodes.join(keys, episodes.episode_id == keys.key_episode_id).select(
        span_episode_id="episode_id", removal_date="removal_date",
        episode_end=derived.open_ended(episodes.discharge_date), episode_key="episode_key",
    )
    joined = placements.join(spans, placements.episode_id == spans.span_episode_id)
    window = _placement_window(joined)
    ordered = joined.mutate(
        _order=ibis.row_number().over(window),
        next_start=joined.start_date.lead().over(window),
        next_order=joined[contract.PLACEMENT_ORDER_COLUMN].lead().over(window),
        previous_start=joined.start_date.lag().over(window),
        end_before=joined.end_date.max().over(_placement_window(joined, (None, -1))),
    )
    cover_end = derived.placement_cover_end(
        ordered.end_date, ordered.next_start, ordered.episode_end
    )
    covers = ordered.mutate(
        cover_start=ibis.greatest(
            ordered.start_date, ordered.end_before.fill_null(ordered.start_date),
            ordered.removal_date,
        ),
        cover_end=ibis.least(cover_end, ordered.episode_end),
        covers_own_start=(cover_end > ordered.start_date)
        | (ordered.end_before.notnull() & (ordered.end_before > ordered.start_date)),
        shares_start=(ordered.next_start == ordered.start_date)
        | (ordered.previous_start == ordered.start_date),
    )
    shared = covers.filter(covers.shares_start)
    shared_days = shared.group_by(
        day_key=shared.episode_key, day=shared.start_date
    ).aggregate(day_covered=shared.covers_own_start.any())
    with_days = covers.left_join(
        shared_days,
        (covers.episode_key == shared_days.day_key) & (covers.start_date == shared_days.day),
    )
    return with_days.select(
        "episode_key",
        "start_date",
        is_move=(with_days._order > 0) & (
            with_days.setting.isnull()
            | ~with_days.setting.isin(list(contract.MOVE_EXCLUDED_SETTINGS))
        ),
        starts_covered=with_days.covers_own_start | with_days.day_covered.fill_null(False),
        cover_start="cover_start",
        cover_end="cover_end",
        setting="setting",
        is_last=with_days.next_order.isnull(),
    )


def later_victimizations(victims: ir.Table) -> ir.Table:
    """Per report, the child's first other victim report more than 14 days later that is not a
    report of the same incident (S2)."""
    later = victims.select(
        later_child_key="child_key", later_date="report_date", later_incident="incident_date"
    )
    pairs = victims.join(later, victims.child_key == later.later_child_key)
    recurred = pairs.filter(
        derived.days_between(pairs.report_date, pairs.later_date) > RECURRENCE_MIN_DAYS,
        ~derived.is_same_incident(pairs.incident_date, pairs.later_incident),
    )
    return recurred.group_by(recurrence_report_id=recurred.report_id).aggregate(
        recurrence_date=recurred.later_date.min()
    )


def victim_reports(inputs: FactInputs) -> ir.Table:
    """Substantiated or indicated reports with the child's facts, the previous victim report
    (by date, then id) and the first recurrence (S1, S2). Reports dated before the child's birth
    are left out here, so they are neither an initial report nor a recurrence nor a previous one."""
    reports = inputs.sources.maltreatment_reports
    victims = reports.filter(reports.disposition.isin(list(contract.VICTIM_DISPOSITIONS)))
    with_child = victims.join(inputs.fact("child_facts"), "child_id")
    born = with_child.filter(
        ~derived.is_before_birth(with_child.report_date, with_child.birth_date)
    )
    ordered = born.mutate(
        previous_report_date=_previous(born, "report_date", ("report_date", "report_id"),
                                       child="child_key")
    )
    recurrences = later_victimizations(born)
    joined = ordered.left_join(recurrences, ordered.report_id == recurrences.recurrence_report_id)
    return joined.select(
        "child_key", "county", "report_date", "incident_date",
        "previous_report_date", "recurrence_date",
        "birth_date", "sex", "race_ethnicity", "eighteenth",
    )


# In the order they are built: each may read those before it.
FACTS: dict[str, Callable[[FactInputs], ir.Table]] = {
    "child_facts": child_facts,
    "episode_keys": episode_keys,
    "placement_facts": placement_facts,
    "episode_facts": episode_facts,
    "victim_reports": victim_reports,
}


# Read only by the fact tables after them, never by a measure: a store may hold them for the
# import alone (DuckDB builds them as temporary tables, dropped once the others are built).
INTERMEDIATE_FACTS = frozenset({"child_facts", "episode_keys"})
# What the measures read, so what an imported database must hold.
STORED_FACTS = tuple(name for name in FACTS if name not in INTERMEDIATE_FACTS)


def fact_expressions(sources: FactSources, *, bucketed_keys: bool = False
                     ) -> dict[str, ir.Table]:
    """``{table name: expression}`` for every fact table, in :data:`FACTS`' order; each reads
    the facts before it as tables of their names (schema only), never their expressions."""
    built: dict[str, ir.Table] = {}
    expressions: dict[str, ir.Table] = {}
    for name, build in FACTS.items():
        expression = build(FactInputs(sources, dict(built), bucketed_keys))
        expressions[name] = expression
        built[name] = ibis.table(expression.schema(), name=name)
    return expressions


def fact_queries(sources: FactSources, dialect: str) -> dict[str, str]:
    """``{table name: SELECT …}`` for every fact table, in ``dialect``, in the order they must
    be created (Spark: register each as a view, ``spark.sql(query).createOrReplaceTempView``)."""
    # Imported here: engine imports the measures, which import the tables holding the facts.
    from practicehub.outcomes.engine.computing import to_sql

    bucketed = dialect in BUCKETED_KEY_DIALECTS
    return {name: to_sql(expression, dialect)
            for name, expression in fact_expressions(sources, bucketed_keys=bucketed).items()}


def create_statements(sources: FactSources, dialect: str, *,
                      temporary: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """``(table name, CREATE TABLE … AS SELECT …)`` for every fact table, in ``dialect``; those
    named in ``temporary`` as temporary tables."""
    return [
        (name, f"CREATE {'TEMP ' if name in temporary else ''}TABLE {name} AS {query}")
        for name, query in fact_queries(sources, dialect).items()
    ]
