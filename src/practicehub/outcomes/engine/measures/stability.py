"""P5: placement moves per 1,000 days in care for children entering in the period."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine import derived
from practicehub.outcomes.engine.measures.base import (
    PER_1000,
    MeasureParams,
    aggregate,
    care_days_end,
    episode_facts,
    flag,
    units,
)
from practicehub.outcomes.engine.tables import OutcomeTables


def p5_cohort(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Every episode entered in the period before 18 that is not a short stay, with the first day
    after its counted days."""
    episodes = episode_facts(tables)
    entered = episodes.filter(
        episodes.removal_date.between(params.start, params.end),
        episodes.removal_date < episodes.eighteenth,
        ~derived.is_short_stay(episodes.removal_date, episodes.discharge_date),
    )
    return entered.mutate(days_end=care_days_end(entered, params))


def covered_days_and_moves(
    tables: OutcomeTables, params: MeasureParams, cohort: ir.Table
) -> ir.Table:
    """Per cohort episode, the days from removal up to ``days_end`` that placements cover (the
    disjoint pieces of the facts, clipped) and the moves that start on one of those days."""
    placements = tables.placement_facts
    # Counted days lie inside the period; filtering first keeps the join to the period's rows.
    relevant = placements.filter(
        placements.start_date.between(params.start, params.end)
        | ((placements.cover_start <= params.end) & (placements.cover_end > params.start))
    )
    spans = cohort.select(
        span_key="episode_key", span_removal="removal_date", span_end="days_end"
    )
    pairs = spans.join(relevant, spans.span_key == relevant.episode_key)
    piece_days = derived.days_between(
        pairs.cover_start, ibis.least(pairs.cover_end, pairs.span_end)
    )
    moved = (
        pairs.is_move
        & pairs.starts_covered
        & (pairs.start_date >= pairs.span_removal)
        & (pairs.start_date < pairs.span_end)
    )
    return pairs.group_by(counted_key=pairs.span_key).aggregate(
        covered_days=ibis.greatest(piece_days, 0).sum(), move_count=flag(moved).sum()
    )


def placement_moves_per_1000_days(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    cohort = p5_cohort(tables, params)
    counted = covered_days_and_moves(tables, params, cohort)
    joined = cohort.left_join(counted, cohort.episode_key == counted.counted_key)
    return aggregate(
        units(
            joined,
            age_on=joined.removal_date,
            numerator=joined.move_count.fill_null(0),
            denominator=joined.covered_days.fill_null(0),
        ),
        params,
        PER_1000,
    )
