"""API: outcome measures, stock and flow counts and time to permanency for the caller's
counties.

The rows are those of ``practicehub outcomes compute`` (spec §6) as JSON: aggregates, suppressed
(spec §5) unless a role grants ``outcomes.unsuppressed``. A county outside the caller's scope
answers 404, as on the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from practicehub.outcomes.engine import computing, stock_flow, time_to_permanency
from practicehub.outcomes.engine.periods import Period, PeriodError, parse_date, parse_period
from practicehub.outcomes.services.access import OutcomeScope, open_outcomes, outcome_scope
from practicehub.outcomes.services.reading import SharedData, cached

router = Router(tags=["outcomes"])
class ResultsOut(Schema):
    period_start: str
    period_end: str
    by: list[str]
    suppressed: bool
    warnings: list[str]
    rows: list[dict[str, Any]]


class CountsOut(Schema):
    period_start: str
    period_end: str
    date: str
    by: list[str]
    suppressed: bool
    rows: list[dict[str, Any]]


class CurveOut(Schema):
    groups: dict[str, str | None]
    cohort: int | None
    permanent: int | None
    median_months: float | None
    points: list[tuple[int, float]]
    incidence: dict[int, dict[str, float]]
    suppressed: bool


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as error:
        raise HttpError(422, str(error)) from None


def _counties(scope: OutcomeScope, asked: str) -> Mapping[str, Sequence[str]] | None:
    """The engine's scope: the counties asked for (each must be in scope), or all in scope."""
    if not asked:
        return scope.engine_scope()
    counties = _names(asked)
    if not scope.statewide and any(county not in scope.counties for county in counties):
        raise HttpError(404, "No such county in your scope")
    return {"county": counties}


def _cached[T](data: SharedData, route: str, scope: OutcomeScope, parameters: tuple[object, ...],
            build: Callable[[], T]) -> T:
    """A route's answer, kept in the shared cache under the data's version, the route, the
    caller's scope (counties, suppressed or not) and the parameters as given."""
    return cached(data.version, ("api", route, scope, *parameters), build)


def _opened(request: HttpRequest) -> tuple[OutcomeScope, SharedData]:
    scope = outcome_scope(request.user)
    if scope.empty:
        raise HttpError(404, "No county in your scope")
    data = open_outcomes()
    if data is None:
        raise HttpError(404, "No outcome data have been imported yet")
    return scope, data


@router.get("/measures", response=ResultsOut, url_name="outcomes_measures")
def measure_rows(request: HttpRequest, period: str, by: str = "", measures: str = "",
                 county: str = "") -> dict[str, Any]:
    """Measures for a period (dates ``START:END`` or a federal code such as ``23A23B``), grouped
    ``by`` dimensions (comma-separated), for the caller's counties or the ``county`` codes given."""
    parsed = _period(period)
    scope, data = _opened(request)

    def build() -> dict[str, Any]:
        result = computing.compute(data, parsed, by=_names(by),
                                measures=_names(measures) or None,
                                scope=_counties(scope, county), suppress=not scope.unsuppressed)
        return {"period_start": parsed.start.isoformat(), "period_end": parsed.end.isoformat(),
                "by": list(result.by), "suppressed": not scope.unsuppressed,
                "warnings": result.warnings, "rows": result.records()}

    try:
        return _cached(data, "measures", scope, (parsed, by, measures, county), build)
    except computing.UsageError as error:
        raise HttpError(422, str(error)) from None
    finally:
        data.close()


@router.get("/counts", response=CountsOut, url_name="outcomes_counts")
def count_rows(request: HttpRequest, period: str, by: str = "", tables: str = "",
               date: str = "", county: str = "") -> dict[str, Any]:
    """Stock and flow counts (children in care on ``date``, by default the period's last day;
    entries, exits and 4B placements of entries in ``period``), grouped ``by`` dimensions, with
    ``total`` margins, for the caller's counties or the ``county`` codes given."""
    parsed = _period(period)
    try:
        day = parse_date(date) if date else None
    except PeriodError as error:
        raise HttpError(422, str(error)) from None
    scope, data = _opened(request)

    def build() -> dict[str, Any]:
        result = stock_flow.compute(data, parsed, by=_names(by), tables=_names(tables) or None,
                                    day=day, scope=_counties(scope, county),
                                    suppress_cells=not scope.unsuppressed)
        return {"period_start": parsed.start.isoformat(), "period_end": parsed.end.isoformat(),
                "date": (day or parsed.end).isoformat(), "by": list(result.by),
                "suppressed": not scope.unsuppressed, "rows": result.records()}

    try:
        return _cached(data, "counts", scope, (parsed, by, tables, day, county), build)
    except computing.UsageError as error:
        raise HttpError(422, str(error)) from None
    finally:
        data.close()


@router.get("/time-to-permanency", response=list[CurveOut],
            url_name="outcomes_time_to_permanency")
def permanency_curves(request: HttpRequest, period: str, by: str = "",
                      county: str = "") -> list[dict[str, Any]]:
    """Kaplan–Meier time to permanency of the children entering care in ``period``, per group."""
    parsed = _period(period)
    scope, data = _opened(request)

    def build() -> list[dict[str, Any]]:
        curves = time_to_permanency.compute(data, parsed, by=_names(by),
                                            scope=_counties(scope, county),
                                            suppress=not scope.unsuppressed)
        return [{"groups": dict(curve.groups), "cohort": curve.cohort,
                 "permanent": curve.permanent, "median_months": curve.median_months,
                 "points": [(point.month, point.permanency) for point in curve.points],
                 "incidence": curve.incidence, "suppressed": curve.suppressed}
                for curve in curves]

    try:
        return _cached(data, "time-to-permanency", scope, (parsed, by, county), build)
    except computing.UsageError as error:
        raise HttpError(422, str(error)) from None
    finally:
        data.close()
