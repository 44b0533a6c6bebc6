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
    Page,
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

__all__ = ["MEASURES", "MeasureParams", "MeasureSpec", "Page", "grouping_problem",
           "in_pandas_baseline", "measures_on"]

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
                id=f"rate_per_1000_{stage}", title=f"Rate of {title} per 1,000 children",
                kind="rate", scale=PER_1000, dimensions="population", pages=("disparities",),
                function=_disparity.for_stage(_disparity.rate_per_1000, stage), by_office=False,
            ),
            MeasureSpec(
                id=f"disproportionality_{stage}", title=f"Disproportionality index, {title}",
                kind="index", dimensions="population", needs_race=True, pages=("disparities",),
                function=_disparity.for_stage(_disparity.disproportionality, stage),
                by_office=False,
            ),
            MeasureSpec(
                id=f"disparity_{stage}", title=f"Disparity index (versus white), {title}",
                kind="index", dimensions="population", needs_race=True, pages=("disparities",),
                function=_disparity.for_stage(_disparity.disparity, stage), by_office=False,
            ),
        ]
    return specs


_SPECS = [
    MeasureSpec(id="entry_rate", title="Entry rate per 1,000 children", federal="context",
                kind="rate", scale=PER_1000, function=entry_rate, dimensions="population",
                pages=("overview",), by_office=False),
    MeasureSpec(id="permanency_12m_entries",
                title="Permanency in 12 months for children entering care", federal="P1",
                kind="proportion", function=permanency_12m_entries,
                pages=("overview", "fidelity")),
    MeasureSpec(id="permanency_12m_12_23", title="Permanency in 12 months, in care 12–23 months",
                federal="P2", kind="proportion", function=permanency_12m_12_23,
                pages=("overview",)),
    MeasureSpec(id="permanency_12m_24plus",
                title="Permanency in 12 months, in care 24 months or more", federal="P3",
                kind="proportion", function=permanency_12m_24plus, pages=("overview",)),
    MeasureSpec(id="reentry_12m", title="Re-entry to care within 12 months", federal="P4",
                kind="proportion", function=reentry_12m, pages=("overview",)),
    MeasureSpec(id="placement_moves_per_1000_days",
                title="Placement moves per 1,000 days in care", federal="P5", kind="rate",
                scale=PER_1000, function=placement_moves_per_1000_days,
                pages=("overview", "fidelity")),
    MeasureSpec(id="maltreatment_in_care_per_100k_days",
                title="Maltreatment in care per 100,000 days in care", federal="S1", kind="rate",
                scale=PER_100K, function=maltreatment_in_care_per_100k_days,
                pages=("overview",)),
    MeasureSpec(id="maltreatment_recurrence_12m",
                title="Recurrence of maltreatment within 12 months", federal="S2",
                kind="proportion", function=maltreatment_recurrence_12m, pages=("overview",),
                by_office=False),
    MeasureSpec(id="in_care_long_term_24m", title="Children in care 24 months or more",
                kind="proportion", function=in_care_long_term_24m,
                pages=("overview", "long_stays")),
    MeasureSpec(id="in_care_long_term_36m", title="Children in care 36 months or more",
                kind="proportion", function=in_care_long_term_36m,
                pages=("overview", "long_stays")),
    *_stage_specs(),
]

MEASURES: dict[str, MeasureSpec] = {spec.id: spec for spec in _SPECS}


def measures_on(page: Page) -> tuple[str, ...]:
    """The ids of the measures a page shows, in the registry's order."""
    return tuple(spec.id for spec in _SPECS if page in spec.pages)


def in_pandas_baseline() -> frozenset[str]:
    """The measures the pandas baseline of the benchmark computes too."""
    return frozenset(spec.id for spec in _SPECS if spec.in_pandas_baseline)
