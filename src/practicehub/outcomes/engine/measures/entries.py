"""Entries into care: the entry rate (context measure) and the ``entries`` stage of §4."""

from __future__ import annotations

import ibis.expr.types as ir

from practicehub.outcomes.engine import derived
from practicehub.outcomes.engine.measures.base import (
    PER_1000,
    MeasureParams,
    episode_facts,
    flag,
    population_measure,
    units,
    with_value,
)
from practicehub.outcomes.engine.tables import OutcomeTables


def first_entry_conditions(episodes: ir.Table, params: MeasureParams) -> list[ir.BooleanValue]:
    """Which episodes are a child's first entry in the period before 18."""
    return [
        episodes.removal_date.between(params.start, params.end),
        episodes.removal_date < episodes.eighteenth,
        derived.earliest_from(episodes.previous_removal, params.start),
    ]


def first_entries(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Per child, the earliest episode (removal date, then id) removed in the period before the
    18th birthday, no minimum stay: the entries of the entry rate, of §4 and of stock and flow."""
    episodes = episode_facts(tables)
    return episodes.filter(*first_entry_conditions(episodes, params))


def entry_units(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Children removed in the period before their 18th birthday, no minimum stay.

    Each child counts once, in the group of its earliest such episode (removal date, then id).
    """
    first = first_entries(tables, params)
    return units(first, age_on=first.removal_date, numerator=flag(first.child_id.notnull()))


def entry_counts(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Entering children per group beside the child population of the year the period ends."""
    return population_measure(entry_units(tables, params), tables, params.end.year, params)


def entry_rate(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Children entering care per 1,000 children in the population."""
    return with_value(entry_counts(tables, params), PER_1000)
