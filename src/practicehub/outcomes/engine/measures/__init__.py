"""The measure registry: every measure id of docs/outcomes.md §3–§4 and how to compute it.

Each measure is a pure function ``measure(tables: OutcomeTables, params: MeasureParams) ->
ibis.Table`` with no connection inside; the result has one row per group with the grouping
columns, ``numerator``, ``denominator`` and ``value``.
"""

from __future__ import annotations

from practicehub.outcomes.engine.measures import disparity as _disparity
from practicehub.outcomes.engine.measures.base import (
    PER_100K,
    PER_1000,
    MeasureParams,
    MeasureSpec,
    grouping_problem,
)
from practicehub.outcomes.engine.measures.entries import entry_rate
from practicehub.outcomes.engine.measures.long_term import (
    in_care_long_term_24m,
    in_care_long_term_36m,
)
from practicehub.outcomes.engine.measures.permanency import (
    permanency_12m_12_23,
    permanency_12m_24plus,
    permanency_12m_entries,
)
from practicehub.outcomes.engine.measures.reentry import reentry_12m
from practicehub.outcomes.engine.measures.safety import (
    maltreatment_in_care_per_100k_days,
    maltreatment_recurrence_12m,
)
from practicehub.outcomes.engine.measures.stability import placement_moves_per_1000_days

__all__ = ["MEASURES", "MeasureParams", "MeasureSpec", "grouping_problem"]

_STAGE_TITLES = {
    "entries": "children entering care",
    "in_care": "children in care",
    "long_term_24m": "children in care 24 months or more",
}


def _stage_specs() -> list[MeasureSpec]:
    specs: list[MeasureSpec] = []
    for stage in _disparity.STAGES:
        title = _STAGE_TITLES[stage]
        specs += [
            MeasureSpec(
                f"rate_per_1000_{stage}", f"Rate of {title} per 1,000 children", "", "rate",
                PER_1000, _disparity.for_stage(_disparity.rate_per_1000, stage), "population",
            ),
            MeasureSpec(
                f"disproportionality_{stage}", f"Disproportionality index, {title}", "", "index",
                1.0, _disparity.for_stage(_disparity.disproportionality, stage), "population",
                needs_race=True,
            ),
            MeasureSpec(
                f"disparity_{stage}", f"Disparity index (versus white), {title}", "", "index",
                1.0, _disparity.for_stage(_disparity.disparity, stage), "population",
                needs_race=True,
            ),
        ]
    return specs


_SPECS = [
    MeasureSpec("entry_rate", "Entry rate per 1,000 children", "context", "rate", PER_1000,
                entry_rate, "population"),
    MeasureSpec("permanency_12m_entries", "Permanency in 12 months for children entering care",
                "P1", "proportion", 1.0, permanency_12m_entries),
    MeasureSpec("permanency_12m_12_23", "Permanency in 12 months, in care 12–23 months", "P2",
                "proportion", 1.0, permanency_12m_12_23),
    MeasureSpec("permanency_12m_24plus", "Permanency in 12 months, in care 24 months or more",
                "P3", "proportion", 1.0, permanency_12m_24plus),
    MeasureSpec("reentry_12m", "Re-entry to care within 12 months", "P4", "proportion", 1.0,
                reentry_12m),
    MeasureSpec("placement_moves_per_1000_days", "Placement moves per 1,000 days in care", "P5",
                "rate", PER_1000, placement_moves_per_1000_days),
    MeasureSpec("maltreatment_in_care_per_100k_days",
                "Maltreatment in care per 100,000 days in care", "S1", "rate", PER_100K,
                maltreatment_in_care_per_100k_days),
    MeasureSpec("maltreatment_recurrence_12m", "Recurrence of maltreatment within 12 months",
                "S2", "proportion", 1.0, maltreatment_recurrence_12m),
    MeasureSpec("in_care_long_term_24m", "Children in care 24 months or more", "", "proportion",
                1.0, in_care_long_term_24m),
    MeasureSpec("in_care_long_term_36m", "Children in care 36 months or more", "", "proportion",
                1.0, in_care_long_term_36m),
    *_stage_specs(),
]

MEASURES: dict[str, MeasureSpec] = {spec.id: spec for spec in _SPECS}
