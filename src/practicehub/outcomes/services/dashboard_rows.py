"""The result rows behind the dashboards' figures: computed once per period for the whole state
and summed to the selection's place, or computed for the selection (cached either way).
"""

from __future__ import annotations

from collections.abc import Sequence

from practicehub.outcomes.engine import computing, suppression
from practicehub.outcomes.engine.measures import MEASURES, MeasureSpec, measures_on
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.services.dashboard_data import DashboardData, quality_marks
from practicehub.outcomes.services.dashboard_selection import Selection

# From the registry: the overview's measures, and those without an office breakdown (the entry
# rate needs population figures, which exist by county only; maltreatment reports carry no office).
OVERVIEW_MEASURES = measures_on("overview")
OFFICELESS_MEASURES = frozenset(m for m in OVERVIEW_MEASURES if not MEASURES[m].by_office)

def compute_rows(data: DashboardData, selection: Selection, period: Period, measures: Sequence[str],
             by: Sequence[str] = ()) -> list[ResultRow]:
    def build() -> list[ResultRow]:
        return computing.compute(data.runner, period, by=by, measures=list(measures),
                              scope=selection.engine_scope(), suppress=selection.suppress).rows

    return data.cached(("rows", selection.engine_scope(), str(period), selection.suppress,
                        tuple(measures), tuple(by)), build)

def county_rows(data: DashboardData, period: Period) -> list[ResultRow]:
    """Every overview measure by county for the whole state, unsuppressed, for summing.

    The same computation serves every user and county (the engine compiles SQL per scope, and
    80 compilations per scope would make a first view slow); nothing of it is shown as it is.
    """
    def build() -> list[ResultRow]:
        return computing.compute(data.runner, period, by=("county",),
                              measures=list(OVERVIEW_MEASURES), suppress=False).rows

    return data.cached(("by-county", str(period)), build)


def total(spec: MeasureSpec, period: Period, rows: Sequence[ResultRow],
           data_quality: str) -> ResultRow:
    """One row for the sum of ``rows``: groups add up (numerators and denominators are sums of
    units), so value and interval follow from the sums as the engine computes them; its
    ``data_quality`` mark is that of the place summed (:func:`place_mark`)."""
    numerator = sum(row.numerator or 0 for row in rows)
    denominator = sum(row.denominator or 0 for row in rows)
    bounds = computing.interval(spec, numerator, denominator)
    return ResultRow(
        spec.id, period.start, period.end, (), numerator, denominator,
        numerator / denominator * spec.scale if denominator else None,
        None if bounds is None else bounds[0], None if bounds is None else bounds[1],
        data_quality=data_quality)

def place_mark(data: DashboardData, selection: Selection) -> str:
    """The §1a mark of the selection's totals, by the one marking rule (``marks.Marks``): its
    county (or office within it), else the scope's counties, else all the data."""
    marks = quality_marks(data)
    if selection.county:
        return marks.mark({"county": selection.county})
    counties = selection.engine_scope()
    return marks.mark({}, None if counties is None else counties["county"])


def office_rows(data: DashboardData, period: Period) -> list[ResultRow]:
    """Every overview measure that carries an office, by county and office, for summing."""
    def build() -> list[ResultRow]:
        measures = [m for m in OVERVIEW_MEASURES if m not in OFFICELESS_MEASURES]
        return computing.compute(data.runner, period, by=("county", "office"),
                              measures=measures, suppress=False).rows

    return data.cached(("by-office", str(period)), build)


def scoped_totals(data: DashboardData, selection: Selection, period: Period) -> list[ResultRow]:
    """Each overview measure for the selection's counties (or its one office) in ``period``,
    suppressed as the user must see it; an office has no entry rate or recurrence. Kept per
    selection and period: summing reads every county's rows."""
    return data.cached(("totals", selection.engine_scope(), selection.county, selection.office,
                        selection.suppress, str(period)),
                       lambda: _scoped_totals(data, selection, period))


def _scoped_totals(data: DashboardData, selection: Selection, period: Period) -> list[ResultRow]:
    if selection.county and selection.office:
        rows = [row for row in office_rows(data, period)
                if row.group("county") == selection.county
                and row.group("office") == selection.office]
        mark = place_mark(data, selection)
        totals = [total(MEASURES[m], period, [row for row in rows if row.measure == m], mark)
                  for m in OVERVIEW_MEASURES if m not in OFFICELESS_MEASURES]
        return suppression.suppress(totals, ()) if selection.suppress else totals
    counties = selection.engine_scope()
    rows = [row for row in county_rows(data, period)
            if counties is None or row.group("county") in counties["county"]]
    mark = place_mark(data, selection)
    totals = [total(MEASURES[m], period, [row for row in rows if row.measure == m], mark)
              for m in OVERVIEW_MEASURES]
    return suppression.suppress(totals, ()) if selection.suppress else totals
