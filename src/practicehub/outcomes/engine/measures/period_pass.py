"""Every requested measure of one period and grouping in one query, one pass over the episodes.

Each measure on its own (``MEASURES[id].function``) filters ``episode_facts`` for its cohort and
sums its units; the full set did that 15 times, and four times over for the same entries. Here
the rules of every cohort (the same functions the measures use) become flags of one scan of
``episode_facts``: ``in_<cohort>`` says a row is one of the cohort's units, ``is_<count>`` that
it counts in a numerator. One aggregate by the grouping's columns (and, when ages are grouped,
the age band on each cohort's day) sums them into a small table, from which each measure sums
its own groups, exactly as :func:`base.aggregate` sums its unit table: only groups that hold
units of the measure, scope and roll-ups applied, one row when there is no grouping.

P5 and S1 join the placements and reports of their cohort's rows of the same pass, carrying the
grouping columns, and stack those sums beside the cohort's units; §4's three indices of a stage
read one table of the stage's counts beside the population. A measure without a plan here (S2,
or a new one) runs its own expression inside the same query. The result has the columns
``measure``, the grouping, ``numerator``, ``denominator`` and ``value``, and the rows of every
measure are those of its own expression (the tests compare both on every backend).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import reduce

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine import derived
from practicehub.outcomes.engine.measures import (
    disparity,
    entries,
    long_term,
    permanency,
    reentry,
    safety,
    stability,
)
from practicehub.outcomes.engine.measures.base import (
    PER_100K,
    PER_1000,
    MeasureParams,
    MeasureSpec,
    aggregate,
    flag,
    population_measure,
    with_value,
)
from practicehub.outcomes.engine.tables import OutcomeTables

Rules = Callable[[ir.Table, MeasureParams], list[ir.BooleanValue]]
Counted = Callable[[ir.Table, MeasureParams], ir.BooleanValue]
Index = Callable[[ir.Table, MeasureParams], ir.Table]


@dataclass(frozen=True)
class Cohort:
    """Units that are rows of ``episode_facts``: the rules that pick them, and the day on which
    their age is taken (a key of :data:`AGE_ON`)."""

    name: str
    rules: Rules
    age: str
    # How many of the first rules are cheap date ranges, enough to cut the scan to the rows
    # near the period.
    cheap: int = 1


@dataclass(frozen=True)
class Count:
    """A numerator counted over a cohort's units."""

    name: str
    cohort: Cohort
    counted: Counted


def _removal(episodes: ir.Table, params: MeasureParams) -> ir.DateValue:
    return episodes.removal_date


def _discharge(episodes: ir.Table, params: MeasureParams) -> ir.DateValue:
    return episodes.discharge_date


def _period_start(episodes: ir.Table, params: MeasureParams) -> ir.DateValue:
    return ibis.literal(params.start)


def _reference(episodes: ir.Table, params: MeasureParams) -> ir.DateValue:
    return ibis.literal(params.reference)


def _care_start(episodes: ir.Table, params: MeasureParams) -> ir.DateValue:
    start: ir.DateValue = safety.s1_days(episodes, params)["days_start"]
    return start


AGE_ON: dict[str, Callable[[ir.Table, MeasureParams], ir.DateValue]] = {
    "removal": _removal, "discharge": _discharge, "period_start": _period_start,
    "reference": _reference, "care_start": _care_start,
}


def _p2_rules(episodes: ir.Table, params: MeasureParams) -> list[ir.BooleanValue]:
    return permanency.in_care_at_start_conditions(episodes, params, 12, 24)


def _p3_rules(episodes: ir.Table, params: MeasureParams) -> list[ir.BooleanValue]:
    return permanency.in_care_at_start_conditions(episodes, params, 24, None)


def _in_care_rules(episodes: ir.Table, params: MeasureParams) -> list[ir.BooleanValue]:
    return long_term.in_care_on_conditions(episodes, params.reference)


def _s1_rules(episodes: ir.Table, params: MeasureParams) -> list[ir.BooleanValue]:
    care_days = safety.s1_days(episodes, params)["care_days"]
    return [*safety.s1_in_period(episodes, params), care_days > 0]


def _in_care_for(months: int | None) -> Counted:
    def counted(episodes: ir.Table, params: MeasureParams) -> ir.BooleanValue:
        return long_term.in_care_counted(episodes, params, months)

    return counted


def _entered(episodes: ir.Table, params: MeasureParams) -> ir.BooleanValue:
    return episodes.child_id.notnull()


IN_CARE = Cohort("in_care", _in_care_rules, "reference")
P5 = Cohort("p5", stability.p5_conditions, "removal")
S1 = Cohort("s1", _s1_rules, "care_start", cheap=2)
_LONG_TERM_24 = Count("long_term_24m", IN_CARE, _in_care_for(24))

# Measures that sum a counted flag over a cohort (proportions: every unit is 1 in the
# denominator).
COUNTS: dict[str, Count] = {
    "permanency_12m_entries": Count(
        "p1", Cohort("p1", permanency.p1_conditions, "removal"), permanency.p1_achieved),
    "permanency_12m_12_23": Count(
        "p2", Cohort("p2", _p2_rules, "period_start"), permanency.in_care_at_start_achieved),
    "permanency_12m_24plus": Count(
        "p3", Cohort("p3", _p3_rules, "period_start"), permanency.in_care_at_start_achieved),
    "reentry_12m": Count("p4", Cohort("p4", reentry.p4_conditions, "discharge"),
                         reentry.p4_returned),
    "in_care_long_term_24m": _LONG_TERM_24,
    "in_care_long_term_36m": Count("long_term_36m", IN_CARE, _in_care_for(36)),
}


def _entries_year(params: MeasureParams) -> int:
    return params.end.year


def _reference_year(params: MeasureParams) -> int:
    return params.reference.year


# §4's stages: what is counted, and the year of the population it is set against.
STAGES: dict[str, tuple[Count, Callable[[MeasureParams], int]]] = {
    "entries": (Count("entered", Cohort("entries", entries.first_entry_conditions, "removal"),
                      _entered), _entries_year),
    "in_care": (Count("in_care", IN_CARE, _in_care_for(None)), _reference_year),
    "long_term_24m": (_LONG_TERM_24, _reference_year),
}


def _rate(counts: ir.Table, params: MeasureParams) -> ir.Table:
    return with_value(counts, PER_1000)


_INDEXES: dict[str, Index] = {
    "rate_per_1000": _rate,
    "disproportionality": disparity.disproportionality_of,
    "disparity": disparity.disparity_of,
}
# Measures over a stage's counts beside the population: (stage, index).
POPULATION: dict[str, tuple[str, Index]] = {
    "entry_rate": ("entries", _rate),
    **{f"{name}_{stage}": (stage, index) for name, index in _INDEXES.items()
       for stage in disparity.STAGES},
}
P5_MEASURE = "placement_moves_per_1000_days"
S1_MEASURE = "maltreatment_in_care_per_100k_days"


def _counts_of(ids: Sequence[str]) -> list[Count]:
    counts = [COUNTS[name] for name in ids if name in COUNTS]
    counts += [STAGES[POPULATION[name][0]][0] for name in ids if name in POPULATION]
    return list({count.name: count for count in counts}.values())


def _cohorts_of(ids: Sequence[str], counts: Sequence[Count]) -> list[Cohort]:
    cohorts = [count.cohort for count in counts]
    cohorts += [P5] if P5_MEASURE in ids else []
    cohorts += [S1] if S1_MEASURE in ids else []
    return list({cohort.name: cohort for cohort in cohorts}.values())


def key_names(params: MeasureParams) -> list[str]:
    """The grouping columns of the pass other than age bands: the dimensions grouped or scoped
    by, the county for roll-ups (``base.add_rollups`` derives them from it)."""
    names = [name for name in params.dimensions_used
             if name != "age_band" and name not in params.rollup_names]
    if params.rollups and "county" not in names:
        names.append("county")
    return names


def _ages(params: MeasureParams, cohorts: Sequence[Cohort]) -> list[str]:
    if "age_band" not in params.dimensions_used:
        return []
    return list(dict.fromkeys(cohort.age for cohort in cohorts))


def _dims(table: ir.Table, params: MeasureParams, age: str) -> dict[str, ir.Value]:
    """A cohort's grouping columns in a table of the pass (its age band named ``age_band``)."""
    dims: dict[str, ir.Value] = {name: table[name] for name in key_names(params)}
    if "age_band" in params.dimensions_used:
        dims["age_band"] = table[f"age_band_{age}"]
    return dims


def _carried(params: MeasureParams, age: str) -> list[str]:
    return [*key_names(params), *([f"age_band_{age}"] if "age_band" in params.dimensions_used
                                  else [])]


def _key_columns(episodes: ir.Table, params: MeasureParams, ages: Sequence[str]
                 ) -> dict[str, ir.Value]:
    """The grouping columns of episode rows, with the age band on each day of ``ages``."""
    columns: dict[str, ir.Value] = {name: episodes[name] for name in key_names(params)}
    if "age_band" in params.dimensions_used:
        for age in ages:
            day = AGE_ON[age](episodes, params)
            columns[f"age_band_{age}"] = derived.age_band(
                derived.age_on(episodes.birth_date, day))
    return columns


def _all(conditions: Sequence[ir.BooleanValue]) -> ir.BooleanValue:
    return reduce(operator.and_, conditions)


def episode_sums(tables: OutcomeTables, params: MeasureParams, cohorts: Sequence[Cohort],
                 counts: Sequence[Count]) -> ir.Table:
    """One scan of ``episode_facts``: per group, each cohort's units (``units_<cohort>``), each
    count (``count_<count>``) and S1's days in care (``care_days_s1``).

    A cohort's first ``cheap`` rules (date ranges) cut the scan to the episodes near the period,
    and each further rule and count is worked out only on the rows that passed the rules before
    it (nested CASE), as a query of the cohort alone would filter them. A group may end up with
    no units of a cohort: the measures read only the groups holding some."""
    episodes = tables.episode_facts
    # Cohorts often share their date range (P1, P5 and the entries): each is tested once.
    cheap = {_all(cohort.rules(episodes, params)[:cohort.cheap]).op(): cohort for cohort in cohorts}
    near = episodes.filter(reduce(operator.or_, [op.to_expr() for op in cheap]))
    columns = _key_columns(near, params, [cohort.age for cohort in cohorts])
    keys = list(columns)
    for cohort in cohorts:
        rules = cohort.rules(near, params)
        rest = rules[cohort.cheap:]
        member = _all(rules[:cohort.cheap])
        columns[f"in_{cohort.name}"] = ibis.ifelse(member, _all(rest), False) if rest else member
    if S1 in cohorts:
        columns["care_days"] = safety.s1_days(near, params)["care_days"]
    marked = near.mutate(**columns)
    zero = ibis.literal(0).cast("int64")
    sums: dict[str, ir.Value] = {f"units_{cohort.name}": flag(marked[f"in_{cohort.name}"]).sum()
                                 for cohort in cohorts}
    for count in counts:
        counted = flag(count.counted(marked, params))
        sums[f"count_{count.name}"] = ibis.ifelse(
            marked[f"in_{count.cohort.name}"], counted, zero).sum()
    if S1 in cohorts:
        sums["care_days_s1"] = ibis.ifelse(marked.in_s1, marked.care_days, 0).sum()
    return marked.group_by(keys).aggregate(**sums) if keys else marked.aggregate(**sums)


def _members(sums: ir.Table, params: MeasureParams, cohort: Cohort,
             numerator: str | int, denominator: str | int) -> ir.Table:
    """A unit table of the groups holding units of ``cohort``; numerator and denominator are
    columns of ``sums`` or constants."""
    held = sums.filter(sums[f"units_{cohort.name}"] > 0)

    def column(value: str | int) -> ir.Value:
        if isinstance(value, int):
            return ibis.literal(value).cast("int64")
        return held[value].cast("int64")

    return held.select(**_dims(held, params, cohort.age), numerator=column(numerator),
                       denominator=column(denominator))


def _count_units(sums: ir.Table, params: MeasureParams, count: Count) -> ir.Table:
    return _members(sums, params, count.cohort, f"count_{count.name}",
                    f"units_{count.cohort.name}")


def _placement_moves(tables: OutcomeTables, params: MeasureParams, sums: ir.Table) -> ir.Table:
    """P5: moves and covered days of the cohort's placements, summed with the cohort's groups."""
    cohort = stability.p5_cohort(tables, params)
    cohort = cohort.mutate(**_key_columns(cohort, params, [P5.age]))
    pieces = stability.placement_pieces(tables, params, cohort, _carried(params, P5.age))
    moves = pieces.select(**_dims(pieces, params, P5.age), numerator=pieces.moved.cast("int64"),
                          denominator=pieces.piece_days.cast("int64"))
    units = _members(sums, params, P5, 0, 0)
    return aggregate(units.union(moves, distinct=False), params, PER_1000)


def _maltreatment_in_care(tables: OutcomeTables, params: MeasureParams, sums: ir.Table
                          ) -> ir.Table:
    """S1: kept reports of the cohort's episodes beside the cohort's days in care."""
    cohort = safety.s1_cohort(tables, params)
    cohort = cohort.mutate(**_key_columns(cohort, params, [S1.age]))
    report_days = safety.counted_report_days(tables, params, cohort, _carried(params, S1.age))
    kept = safety.kept_reports(report_days)
    reports = kept.select(**_dims(kept, params, S1.age),
                          numerator=ibis.literal(1).cast("int64"),
                          denominator=ibis.literal(0).cast("int64"))
    days = _members(sums, params, S1, 0, "care_days_s1")
    return aggregate(days.union(reports, distinct=False), params, PER_100K)


def _result(table: ir.Table, measure_id: str, by: Sequence[str]) -> ir.Table:
    return table.select(
        *[table[name] for name in by], measure=ibis.literal(measure_id),
        numerator=table.numerator.cast("int64"), denominator=table.denominator.cast("int64"),
        value=table.value.cast("float64"),
    )


def period_pass(tables: OutcomeTables, params: MeasureParams,
                specs: Sequence[MeasureSpec]) -> ir.Table:
    """The rows of every measure of ``specs`` (each able to take the grouping), one query."""
    ids = [spec.id for spec in specs]
    counts = _counts_of(ids)
    cohorts = _cohorts_of(ids, counts)
    sums = episode_sums(tables, params, cohorts, counts) if cohorts else None
    stages: dict[str, ir.Table] = {}
    results = []
    for spec in specs:
        if sums is None:
            table = spec.function(tables, params)
        elif spec.id in COUNTS:
            table = aggregate(_count_units(sums, params, COUNTS[spec.id]), params, 1)
        elif spec.id in POPULATION:
            stage, index = POPULATION[spec.id]
            if stage not in stages:
                count, year = STAGES[stage]
                stages[stage] = population_measure(
                    _count_units(sums, params, count), tables, year(params), params)
            table = index(stages[stage], params)
        elif spec.id == P5_MEASURE:
            table = _placement_moves(tables, params, sums)
        elif spec.id == S1_MEASURE:
            table = _maltreatment_in_care(tables, params, sums)
        else:
            table = spec.function(tables, params)
        results.append(_result(table, spec.id, params.by))
    return ibis.union(*results, distinct=False) if len(results) > 1 else results[0]
