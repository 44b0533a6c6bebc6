"""P4: re-entry into care within 12 months of a discharge to reunification, relative or guardian."""

from __future__ import annotations

import ibis.expr.types as ir

from practicehub.outcomes import contract, derived
from practicehub.outcomes.measures.base import (
    MeasureParams,
    aggregate,
    episode_facts,
    first_per,
    flag,
    units,
)
from practicehub.outcomes.tables import OutcomeTables


def p4_cohort(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Per child, the earliest qualifying discharge in the period (discharge date, then id)."""
    episodes = episode_facts(tables)
    discharged = episodes.filter(
        episodes.discharge_date.between(params.start, params.end),
        episodes.discharge_reason.isin(list(contract.REENTRY_COHORT_REASONS)),
        episodes.discharge_date < episodes.eighteenth,
        ~derived.is_short_stay(episodes.removal_date, episodes.discharge_date),
    )
    return first_per(discharged, "child_id", [discharged.discharge_date, discharged.episode_id])


def reentered_episodes(tables: OutcomeTables, cohort: ir.Table) -> ir.Table:
    """Ids of cohort episodes followed by a removal on or after discharge and within 12 months."""
    later = tables.episodes.select(
        later_child_id="child_id", later_episode_id="episode_id", later_removal="removal_date"
    )
    pairs = cohort.join(later, cohort.child_id == later.later_child_id)
    returned = pairs.filter(
        pairs.later_episode_id != pairs.episode_id,
        pairs.later_removal >= pairs.discharge_date,
        pairs.later_removal <= derived.add_months(pairs.discharge_date, 12),
    )
    return returned.select(reentered_episode_id=returned.episode_id).distinct()


def reentry_12m(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    cohort = p4_cohort(tables, params)
    returned = reentered_episodes(tables, cohort)
    joined = cohort.left_join(returned, cohort.episode_id == returned.reentered_episode_id)
    return aggregate(
        units(
            joined,
            age_on=joined.discharge_date,
            numerator=flag(joined.reentered_episode_id.notnull()),
        ),
        params,
        1,
    )
