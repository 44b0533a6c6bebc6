"""What every measure shares: parameters, the per-unit table, grouping and population joins.

A measure builds a *unit table*, one row per counted child or episode, holding the grouping
dimensions and that unit's numerator and denominator contribution; :func:`aggregate` then sums the
units by the requested dimensions. Summing units is what makes groups add up to the total.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine import contract, derived
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.engine.tables import OutcomeTables

# Rates are per this many children (population measures) or days in care (P5, S1).
PER_1000 = 1000.0
PER_100K = 100_000.0

MeasureKind = Literal["proportion", "rate", "index"]
DimensionSet = Literal["all", "population"]
Scope = tuple[tuple[str, tuple[str, ...]], ...]
Rollups = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]


@dataclass(frozen=True)
class MeasureParams:
    """What to measure over: the period, the grouping, and optional scope and roll-ups.

    ``scope`` keeps only units whose dimension value is listed (``(("county", ("06019",)),)``);
    ``rollups`` adds grouping dimensions derived from the county code, such as the regions of the
    organisation tree (``(("region", (("06019", "rta-central"), ...)),)``). Both are tuples so
    that parameters are hashable and a compiled measure can be cached; :meth:`build` takes
    mappings.
    """

    period: Period
    by: tuple[str, ...] = ()
    reference_date: date | None = None
    scope: Scope = ()
    rollups: Rollups = ()

    @classmethod
    def build(
        cls,
        period: Period,
        by: Sequence[str] = (),
        reference_date: date | None = None,
        scope: Mapping[str, Sequence[str]] | None = None,
        rollups: Mapping[str, Mapping[str, str]] | None = None,
    ) -> MeasureParams:
        return cls(
            period,
            tuple(by),
            reference_date,
            tuple((name, tuple(values)) for name, values in (scope or {}).items()),
            tuple(
                (name, tuple(sorted(mapping.items())))
                for name, mapping in (rollups or {}).items()
            ),
        )

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    @property
    def reference(self) -> date:
        """The day of the point-in-time measures: the given reference date or the period end."""
        return self.reference_date or self.period.end

    @property
    def rollup_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.rollups)

    @property
    def dimensions_used(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*self.by, *(name for name, _ in self.scope)]))


MeasureFunction = Callable[[OutcomeTables, MeasureParams], ir.Table]


# The pages that show a measure (the registry says so; pages read their lists from it):
# the outcome overview and its trends, the long-stay page, the disparity page and the fidelity
# page beside the outcomes.
Page = Literal["overview", "long_stays", "disparities", "fidelity"]


@dataclass(frozen=True, kw_only=True)
class MeasureSpec:
    """One measure of the registry: its id and title, its federal label (P1…S2, or empty), how
    to read its value (kind and scale), the function computing it, and what pages need."""

    id: str
    title: str
    federal: str = ""
    kind: MeasureKind
    scale: float = 1.0
    function: MeasureFunction
    dimensions: DimensionSet = "all"
    needs_race: bool = False
    pages: tuple[Page, ...] = ()
    # Whether the measure has an office breakdown (population figures and maltreatment reports
    # carry no office).
    by_office: bool = True
    # Whether benchmarks/pandas_baseline.py computes it too (a new measure may opt out rather
    # than be written twice; the benchmark then compares the others).
    in_pandas_baseline: bool = True


def allowed_dimensions(dimensions: DimensionSet, params: MeasureParams) -> tuple[str, ...]:
    base = contract.DIMENSIONS if dimensions == "all" else contract.POPULATION_DIMENSIONS
    return (*base, *params.rollup_names)


def grouping_problem(spec: MeasureSpec, params: MeasureParams) -> str | None:
    """Why ``spec`` cannot be computed for this grouping, or None when it can."""
    allowed = allowed_dimensions(spec.dimensions, params)
    extra = [name for name in params.dimensions_used if name not in allowed]
    if extra:
        return (
            f"{spec.id} needs the population table, which has no {', '.join(extra)}; "
            f"it can be grouped only by {', '.join(allowed)}"
        )
    if spec.needs_race and "race_ethnicity" not in params.by:
        return f"{spec.id} compares race/ethnicity groups, so --by must include race_ethnicity"
    return None


# 1 when a condition holds, 0 when it fails or is unknown; the one way to count a condition.
flag = derived.flag


def episode_facts(tables: OutcomeTables) -> ir.Table:
    """Episodes with their child's birth date, 18th birthday, sex and race/ethnicity, the last
    placement and the child's next removal (derived once at load time, ``facts.py``)."""
    return tables.episode_facts


def units(
    table: ir.Table,
    *,
    age_on: ir.DateValue,
    numerator: ir.IntegerValue,
    denominator: ir.IntegerValue | int = 1,
    office: ir.StringValue | None = None,
) -> ir.Table:
    """The unit table: grouping dimensions (age band from the age on ``age_on``) and counts."""
    return table.select(
        county=table.county,
        office=table.office if office is None else office,
        race_ethnicity=table.race_ethnicity,
        age_band=derived.age_band(derived.age_on(table.birth_date, age_on)),
        sex=table.sex,
        numerator=numerator.cast("int64"),
        denominator=ibis.literal(denominator).cast("int64")
        if isinstance(denominator, int)
        else denominator.cast("int64"),
    )


def add_rollups(table: ir.Table, params: MeasureParams) -> ir.Table:
    if not params.rollups:
        return table
    return table.mutate(
        **{
            name: table.county.substitute(dict(mapping), else_=ibis.null("string"))
            for name, mapping in params.rollups
        }
    )


def apply_scope(table: ir.Table, params: MeasureParams) -> ir.Table:
    for name, values in params.scope:
        table = table.filter(table[name].isin(list(values)))
    return table


def with_value(table: ir.Table, scale: float) -> ir.Table:
    """value = numerator / denominator × scale; NULL when the denominator is 0."""
    value = table.numerator.cast("float64") / table.denominator.cast("float64") * scale
    return table.mutate(value=ibis.ifelse(table.denominator > 0, value, ibis.null("float64")))


def _sums(table: ir.Table, by: Sequence[str], columns: Sequence[str]) -> ir.Table:
    """``columns`` summed by ``by`` (one row when ``by`` is empty); an empty sum is 0."""
    sums = {column: table[column].sum().fill_null(0) for column in columns}
    if by:
        return table.group_by(list(by)).aggregate(**sums)
    return table.aggregate(**sums)


def aggregate(unit_table: ir.Table, params: MeasureParams, scale: float) -> ir.Table:
    """Sum the units by ``params.by`` after scoping; one row without ``by``, even with no units."""
    scoped = apply_scope(add_rollups(unit_table, params), params)
    return with_value(_sums(scoped, params.by, ("numerator", "denominator")), scale)


def population_units(tables: OutcomeTables, year: int, params: MeasureParams) -> ir.Table:
    """Children aged 0–17 in the population table for ``year``, with the population dimensions."""
    population = tables.population
    rows = population.filter(
        population.year == year, population.age >= 0, population.age <= 17
    ).select(
        county=population.county,
        race_ethnicity=population.race_ethnicity,
        age_band=derived.age_band(population.age),
        denominator=population["count"].cast("int64"),
    )
    return apply_scope(add_rollups(rows, params), params)


def join_population(counts: ir.Table, population: ir.Table, by: Sequence[str]) -> ir.Table:
    """Counts per group beside the population of the group; a group missing on one side gets 0.

    Stacked and summed rather than outer-joined: GROUP BY puts NULL keys (counties outside a
    roll-up) in one group on every backend, where PostgreSQL refuses a FULL JOIN on the NULL-safe
    comparison that a join would need.
    """
    zero = ibis.literal(0).cast("int64")
    stacked = counts.select(*by, numerator=counts.numerator, denominator=zero).union(
        population.select(*by, numerator=zero, denominator=population.denominator),
        distinct=False,
    )
    return _sums(stacked, by, ("numerator", "denominator"))


def population_measure(
    counts: ir.Table, tables: OutcomeTables, year: int, params: MeasureParams
) -> ir.Table:
    """Numerator from the counted children, denominator from the population of ``year``."""
    scoped = apply_scope(add_rollups(counts, params), params)
    return join_population(scoped, population_units(tables, year, params), params.by)


def care_days_end(episodes: ir.Table, params: MeasureParams) -> ir.DateValue:
    """First day no longer counted as in care (P5, S1): the earliest of discharge, the day after
    the period, and the 18th birthday."""
    return ibis.least(
        derived.open_ended(episodes.discharge_date),
        ibis.literal(params.period.day_after_end),
        episodes.eighteenth,
    )
