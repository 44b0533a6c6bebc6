"""P4: re-entry into care within 12 months of a discharge to reunification, relative or guardian."""

from __future__ import annotations

import ibis.expr.types as ir

from practicehub.outcomes.engine import derived
from practicehub.outcomes.engine.measures.base import (
    MeasureParams,
    aggregate,
    episode_facts,
    flag,
    units,
)
from practicehub.outcomes.engine.tables import OutcomeTables


def p4_conditions(episodes: ir.Table, params: MeasureParams) -> list[ir.BooleanValue]:
    """P4's units: per child, the earliest qualifying discharge in the period."""
    return [
        episodes.discharge_date.between(params.start, params.end),
        derived.is_reentry_cohort_discharge(episodes.discharge_reason),
        episodes.discharge_date < episodes.eighteenth,
        derived.earliest_from(episodes.previous_p4_discharge, params.start),
    ]


def p4_cohort(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Per child, the earliest qualifying discharge in the period (discharge date, then id)."""
    episodes = episode_facts(tables)
    return episodes.filter(*p4_conditions(episodes, params))


def p4_returned(cohort: ir.Table, params: MeasureParams) -> ir.BooleanValue:
    """P4's numerator: the child's next removal is within 12 months of the discharge."""
    return cohort.next_removal <= derived.add_months(cohort.discharge_date, 12)


def reentry_12m(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """P4: the child's next removal (facts) is on or after the discharge and within 12 months."""
    cohort = p4_cohort(tables, params)
    returned = p4_returned(cohort, params)
    return aggregate(
        units(cohort, age_on=cohort.discharge_date, numerator=flag(returned)), params, 1
    )
