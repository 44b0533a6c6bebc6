"""P5: placement moves per 1,000 days in care for children entering in the period."""

from __future__ import annotations

from collections.abc import Sequence

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


def p5_conditions(episodes: ir.Table, params: MeasureParams) -> list[ir.BooleanValue]:
    """P5's units: every episode entered in the period before 18 that is not a short stay."""
    return [
        episodes.removal_date.between(params.start, params.end),
        episodes.removal_date < episodes.eighteenth,
        ~derived.is_short_stay(episodes.removal_date, episodes.discharge_date),
    ]


def p5_cohort(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Every episode entered in the period before 18 that is not a short stay, with the first day
    after its counted days."""
    episodes = episode_facts(tables)
    entered = episodes.filter(*p5_conditions(episodes, params))
    return entered.mutate(days_end=care_days_end(entered, params))


def placement_pieces(
    tables: OutcomeTables, params: MeasureParams, cohort: ir.Table, carry: Sequence[str] = ()
) -> ir.Table:
    """Per cohort episode (``episode_key``, ``removal_date``, ``days_end``) and placement: the
    days from removal up to ``days_end`` that the placement's disjoint piece of the facts covers
    (``piece_days``, clipped) and whether it is a move starting on one of those days
    (``moved``), with the cohort's ``carry`` columns."""
    placements = tables.placement_facts
    # Counted days lie inside the period; filtering first keeps the join to the period's rows.
    relevant = placements.filter(
        placements.start_date.between(params.start, params.end)
        | ((placements.cover_start <= params.end) & (placements.cover_end > params.start))
    )
    spans = cohort.select(
        *carry, span_key="episode_key", span_removal="removal_date", span_end="days_end"
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
    return pairs.select(
        *carry, span_key="span_key", piece_days=ibis.greatest(piece_days, 0), moved=flag(moved)
    )


def covered_days_and_moves(
    tables: OutcomeTables, params: MeasureParams, cohort: ir.Table
) -> ir.Table:
    """Per cohort episode, the days from removal up to ``days_end`` that placements cover (the
    disjoint pieces of the facts, clipped) and the moves that start on one of those days."""
    pieces = placement_pieces(tables, params, cohort)
    return pieces.group_by(counted_key=pieces.span_key).aggregate(
        covered_days=pieces.piece_days.sum(), move_count=pieces.moved.sum()
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
