"""Permanency in 12 months: P1 (entries), P2 (in care 12–23 months), P3 (in care 24+ months)."""

from __future__ import annotations

import ibis
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

# A trial home visit counts toward the 12 months only for its first 30 days (P1 only).
TRIAL_HOME_VISIT_DAYS = 30


def effective_discharge_date(entries: ir.Table) -> ir.DateValue:
    """Trial home visit adjustment: a reunification after a THV of more than 30 days counts as
    happening on the THV's 30th day; any other discharge counts on its own date."""
    adjusted = (
        (entries.discharge_reason == "reunification")
        & (entries.last_setting == "trial_home_visit")
        & (derived.days_between(entries.last_start, entries.discharge_date) > TRIAL_HOME_VISIT_DAYS)
    )
    return ibis.ifelse(
        adjusted,
        derived.add_days(entries.last_start, TRIAL_HOME_VISIT_DAYS),
        entries.discharge_date,
    )


def p1_conditions(episodes: ir.Table, params: MeasureParams) -> list[ir.BooleanValue]:
    """Which episode facts are P1's units (each is a child's earliest eligible entry)."""
    return [
        episodes.removal_date.between(params.start, params.end),
        episodes.removal_date < episodes.eighteenth,
        derived.is_entry_cohort_episode(
            episodes.removal_date, episodes.discharge_date, episodes.discharge_reason
        ),
        derived.earliest_from(episodes.previous_p1_removal, params.start),
    ]


def p1_cohort(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Per child, the earliest eligible episode entered in the period (facts carry its last
    placement)."""
    episodes = episode_facts(tables)
    return episodes.filter(*p1_conditions(episodes, params))


def p1_achieved(cohort: ir.Table, params: MeasureParams) -> ir.BooleanValue:
    """P1's numerator: permanency within 12 months of removal (trial home visit adjusted),
    before 18."""
    effective = effective_discharge_date(cohort)
    return (
        derived.is_permanency_exit(cohort.discharge_reason)
        & (effective <= derived.add_months(cohort.removal_date, 12))
        & (effective < cohort.eighteenth)
    )


def permanency_12m_entries(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """P1: children entering in the period who reach permanency within 12 months, before 18."""
    cohort = p1_cohort(tables, params)
    achieved = p1_achieved(cohort, params)
    return aggregate(units(cohort, age_on=cohort.removal_date, numerator=flag(achieved)), params, 1)


def in_care_at_start_conditions(
    episodes: ir.Table, params: MeasureParams, min_months: int, max_months: int | None
) -> list[ir.BooleanValue]:
    """P2/P3's units: episodes in care on the first day, before 18, for the given time."""
    start = ibis.literal(params.start)
    conditions = [
        derived.in_care_on(episodes.removal_date, episodes.discharge_date, start),
        start < episodes.eighteenth,
        derived.add_months(episodes.removal_date, min_months) <= start,
    ]
    if max_months is not None:
        conditions.append(start < derived.add_months(episodes.removal_date, max_months))
    return conditions


def in_care_at_start_achieved(cohort: ir.Table, params: MeasureParams) -> ir.BooleanValue:
    """P2/P3's numerator: a permanency exit by the period end, before 18."""
    return (
        derived.is_permanency_exit(cohort.discharge_reason)
        & (cohort.discharge_date <= params.end)
        & (cohort.discharge_date < cohort.eighteenth)
    )


def _in_care_at_start(
    tables: OutcomeTables, params: MeasureParams, min_months: int, max_months: int | None
) -> ir.Table:
    """P2/P3: permanency by period end for children in care on the first day for the given time."""
    episodes = episode_facts(tables)
    cohort = episodes.filter(*in_care_at_start_conditions(episodes, params, min_months, max_months))
    achieved = in_care_at_start_achieved(cohort, params)
    return aggregate(
        units(cohort, age_on=ibis.literal(params.start), numerator=flag(achieved)), params, 1
    )


def permanency_12m_12_23(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """P2: in care 12–23 months on the first day of the period."""
    return _in_care_at_start(tables, params, 12, 24)


def permanency_12m_24plus(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """P3: in care 24 months or more on the first day of the period."""
    return _in_care_at_start(tables, params, 24, None)
