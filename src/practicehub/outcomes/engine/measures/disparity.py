"""§4: rates per 1,000, disproportionality and disparity indices by stage (CCWIP definitions).

For a stage and each race/ethnicity group g, with P the child population (0–17):
rate_g = 1,000 × count_g / P_g; disproportionality_g = (count_g / count_all) / (P_g / P_all);
disparity_g = rate_g / rate_white. "all" and "white" are taken inside each combination of the
other grouping dimensions, so ``--by county,race_ethnicity`` compares groups within a county.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine.measures.base import (
    PER_1000,
    MeasureParams,
    population_measure,
    with_value,
)
from practicehub.outcomes.engine.measures.entries import entry_units
from practicehub.outcomes.engine.measures.long_term import in_care_units
from practicehub.outcomes.engine.tables import OutcomeTables

STAGES = ("entries", "in_care", "long_term_24m")
REFERENCE_GROUP = "white"
RACE = "race_ethnicity"


def stage_counts(tables: OutcomeTables, params: MeasureParams, stage: str) -> ir.Table:
    """Children at ``stage`` per group beside the population of the stage's year."""
    if stage == "entries":
        return population_measure(entry_units(tables, params), tables, params.end.year, params)
    long_term = 24 if stage == "long_term_24m" else None
    counted = in_care_units(tables, params, long_term)
    return population_measure(counted, tables, params.reference.year, params)


def _ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator, NULL when the denominator is 0 or unknown."""
    value = numerator.cast("float64") / denominator.cast("float64")
    return ibis.ifelse(denominator.fill_null(0) != 0, value, ibis.null("float64"))


def _others(params: MeasureParams) -> list[str]:
    return [name for name in params.by if name != RACE]


def rate_per_1000(tables: OutcomeTables, params: MeasureParams, stage: str) -> ir.Table:
    return with_value(stage_counts(tables, params, stage), PER_1000)


def disproportionality(tables: OutcomeTables, params: MeasureParams, stage: str) -> ir.Table:
    return disproportionality_of(stage_counts(tables, params, stage), params)


def disproportionality_of(counts: ir.Table, params: MeasureParams) -> ir.Table:
    """(count share) ÷ (population share) of each race/ethnicity group, from a stage's counts."""
    window = ibis.window(group_by=[counts[name] for name in _others(params)])
    count_share = _ratio(counts.numerator, counts.numerator.sum().over(window))
    population_share = _ratio(counts.denominator, counts.denominator.sum().over(window))
    return counts.mutate(value=_ratio(count_share, population_share))


def disparity(tables: OutcomeTables, params: MeasureParams, stage: str) -> ir.Table:
    return disparity_of(stage_counts(tables, params, stage), params)


def disparity_of(counts: ir.Table, params: MeasureParams) -> ir.Table:
    """Each group's rate ÷ the white group's rate, from a stage's counts."""
    rated = counts.mutate(_rate=_ratio(counts.numerator, counts.denominator) * PER_1000)
    window = ibis.window(group_by=[rated[name] for name in _others(params)])
    reference_rate = (
        ibis.ifelse(rated[RACE] == REFERENCE_GROUP, rated._rate, ibis.null("float64"))
        .max()
        .over(window)
    )
    return rated.mutate(value=_ratio(rated._rate, reference_rate)).drop("_rate")


StageMeasure = Callable[[OutcomeTables, MeasureParams], ir.Table]


def for_stage(
    index: Callable[[OutcomeTables, MeasureParams, str], ir.Table], stage: str
) -> StageMeasure:
    """``index`` bound to one stage, as a measure function."""

    def measure(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
        return index(tables, params, stage)

    measure.__name__ = f"{index.__name__}_{stage}"
    measure.__doc__ = f"{index.__name__} of the {stage} stage."
    return measure
