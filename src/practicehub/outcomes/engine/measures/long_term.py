"""Children in care long term on a reference date, and the ``in_care`` stage of §4."""

from __future__ import annotations

from datetime import date

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
from practicehub.outcomes.engine.periods import add_months
from practicehub.outcomes.engine.tables import OutcomeTables


def in_care_on_conditions(episodes: ir.Table, day: date) -> list[ir.BooleanValue]:
    """Which episodes are of a child in care on ``day`` before the 18th birthday."""
    return [
        derived.in_care_on(episodes.removal_date, episodes.discharge_date, day),
        episodes.eighteenth > day,
    ]


def episodes_in_care_on(tables: OutcomeTables, day: date) -> ir.Table:
    """The episodes of children in care on ``day`` before their 18th birthday (§2). Episodes of
    one child never overlap, so each child has one row."""
    episodes = episode_facts(tables)
    return episodes.filter(*in_care_on_conditions(episodes, day))


def in_care_counted(
    in_care: ir.Table, params: MeasureParams, long_term_months: int | None
) -> ir.BooleanValue:
    """Who counts among the children in care: every one, or with ``long_term_months`` those whose
    current episode began on or before the reference date minus that many months."""
    if long_term_months is None:
        return in_care.child_id.notnull()
    return in_care.removal_date <= add_months(params.reference, -long_term_months)


def in_care_units(
    tables: OutcomeTables, params: MeasureParams, long_term_months: int | None = None
) -> ir.Table:
    """Children in care on the reference date before their 18th birthday.

    The numerator is 1 for every child, or with ``long_term_months`` only for those whose current
    episode began on or before the reference date minus that many months. Episodes of one child
    never overlap, so each child has one row.
    """
    reference = params.reference
    in_care = episodes_in_care_on(tables, reference)
    numerator = flag(in_care_counted(in_care, params, long_term_months))
    return units(in_care, age_on=ibis.literal(reference), numerator=numerator)


def in_care_long_term_24m(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    return aggregate(in_care_units(tables, params, 24), params, 1)


def in_care_long_term_36m(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    return aggregate(in_care_units(tables, params, 36), params, 1)
