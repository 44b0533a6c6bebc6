"""P5: placement moves per 1,000 days in care for children entering in the period."""

from __future__ import annotations

import ibis.expr.types as ir

from practicehub.outcomes import derived
from practicehub.outcomes.measures.base import (
    PER_1000,
    MeasureParams,
    aggregate,
    care_days_end,
    episode_facts,
    units,
)
from practicehub.outcomes.tables import OutcomeTables


def p5_cohort(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Every episode entered in the period before 18 that is not a short stay, with its days."""
    episodes = episode_facts(tables)
    entered = episodes.filter(
        episodes.removal_date.between(params.start, params.end),
        episodes.removal_date < episodes.eighteenth,
        ~derived.is_short_stay(episodes.removal_date, episodes.discharge_date),
    )
    end = care_days_end(entered, params)
    return entered.mutate(
        days_end=end, care_days=derived.days_between(entered.removal_date, end)
    )


def moves(tables: OutcomeTables, params: MeasureParams, cohort: ir.Table) -> ir.Table:
    """Moves per cohort episode: move placements (facts) that start inside the counted days."""
    candidates = tables.move_placements
    # Counted days lie inside the period; filtering first keeps the join to the period's moves.
    in_period = candidates.filter(candidates.start_date.between(params.start, params.end))
    later = in_period.select(move_episode_key="episode_key", move_start="start_date")
    pairs = cohort.join(later, cohort.episode_key == later.move_episode_key)
    inside = pairs.filter(
        pairs.move_start >= pairs.removal_date, pairs.move_start < pairs.days_end
    )
    return inside.group_by("move_episode_key").aggregate(move_count=inside.count())


def placement_moves_per_1000_days(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    cohort = p5_cohort(tables, params)
    counted = moves(tables, params, cohort)
    joined = cohort.left_join(counted, cohort.episode_key == counted.move_episode_key)
    return aggregate(
        units(
            joined,
            age_on=joined.removal_date,
            numerator=joined.move_count.fill_null(0),
            denominator=joined.care_days,
        ),
        params,
        PER_1000,
    )
