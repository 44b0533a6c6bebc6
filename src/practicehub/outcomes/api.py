"""API: outcome measures, stock and flow counts and time to permanency for the caller's
counties.

The rows are those of ``practicehub outcomes compute`` (spec §6) as JSON: aggregates, suppressed
(spec §5) unless a role grants ``outcomes.unsuppressed``. A county outside the caller's scope
answers 404, as on the pages; refused input 422 naming the parameter; an outcome database
imported by an earlier version 503, saying to import again (``api/errors.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import BaseModel, ConfigDict

from practicehub.api.errors import answers
from practicehub.core.errors import Located, OutsideScope, Refused
from practicehub.outcomes.data.store import OutcomeData
from practicehub.outcomes.engine import computing, stock_flow, time_to_permanency
from practicehub.outcomes.engine.periods import Period, PeriodError, parse_date, parse_period
from practicehub.outcomes.services.access import OutcomeScope, open_outcomes, outcome_scope
from practicehub.outcomes.services.reading import cached

router = Router(tags=["outcomes"])

_DIMENSIONS = ("One more field per `by` dimension, named after it (`county`, `race_ethnicity`, "
               "…), holding the group's value; null for an unknown value.")


# The rows are pydantic models, not ninja Schemas: a ninja Schema reads only its declared fields,
# and a row also carries one field per ``by`` dimension, which the caller chooses.
class MeasureRowOut(BaseModel):
    """One row of spec §6: the measure, the period, the counts, the value and its 95% interval
    (null when suppressed), whether it is suppressed and its data quality (``ok`` or ``DQ``)."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"description": _DIMENSIONS})

    measure: str
    period_start: str
    period_end: str
    numerator: int | None
    denominator: int | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    data_quality: str


class CountRowOut(BaseModel):
    """One stock or flow count: the table, the period (and ``date`` for ``in_care``), the
    category (``total`` in a margin), the count and its share of the group (null when
    suppressed), whether it is suppressed and its data quality."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"description": _DIMENSIONS})

    table: str
    period_start: str
    period_end: str
    date: str | None
    category: str
    count: int | None
    share: float | None
    suppressed: bool
    data_quality: str


class ResultsOut(Schema):
    period_start: str
    period_end: str
    by: list[str]
    suppressed: bool
    warnings: list[str]
    rows: list[MeasureRowOut]


class CountsOut(Schema):
    period_start: str
    period_end: str
    date: str
    by: list[str]
    suppressed: bool
    rows: list[CountRowOut]


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


def _refused(error: Exception, field: str | None = None) -> Refused:
    return Refused(str(error), (Located(str(error), field=field),))


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as error:
        raise _refused(error, "period") from None


def _counties(scope: OutcomeScope, asked: str) -> Mapping[str, Sequence[str]] | None:
    """The engine's scope: the counties asked for (each must be in scope), or all in scope."""
    if not asked:
        return scope.engine_scope()
    counties = _names(asked)
    if not scope.statewide and any(county not in scope.counties for county in counties):
        raise OutsideScope("No such county in your scope")
    return {"county": counties}


def _cached[T](data: OutcomeData, route: str, scope: OutcomeScope, parameters: tuple[object, ...],
            build: Callable[[], T]) -> T:
    """A route's answer, kept in the shared cache under the data's version, the route, the
    caller's scope (counties, suppressed or not) and the parameters as given."""
    return cached(data.version, ("api", route, scope, *parameters), build)


def _opened(request: HttpRequest) -> tuple[OutcomeScope, OutcomeData]:
    """The caller's scope and the imported data of the configured store (a DuckDB file or a
    PostgreSQL schema); an import by an earlier version raises the store's
    OutdatedDatabaseError, a NeedsReimport (503)."""
    scope = outcome_scope(request.user)
    if scope.empty:
        raise OutsideScope("No county in your scope")
    data = open_outcomes()
    if data is None:
        raise OutsideScope("No outcome data have been imported yet")
    return scope, data


@router.get("/measures", response=answers(ResultsOut, records=True, stored_data=True),
            url_name="outcomes_measures")
def measure_rows(request: HttpRequest, period: str, by: str = "", measures: str = "",
                 county: str = "") -> ResultsOut:
    """Measures for a period (dates ``START:END`` or a federal code such as ``23A23B``), grouped
    ``by`` dimensions (comma-separated), for the caller's counties or the ``county`` codes given."""
    parsed = _period(period)
    scope, data = _opened(request)

    def build() -> ResultsOut:
        result = computing.compute(data, parsed, by=_names(by),
                                measures=_names(measures) or None,
                                scope=_counties(scope, county), suppress=not scope.unsuppressed)
        return ResultsOut(period_start=parsed.start.isoformat(),
                          period_end=parsed.end.isoformat(), by=list(result.by),
                          suppressed=not scope.unsuppressed, warnings=list(result.warnings),
                          rows=[MeasureRowOut(**row) for row in result.records()])

    try:
        return _cached(data, "measures", scope, (parsed, by, measures, county), build)
    except computing.UsageError as error:
        raise _refused(error) from None
    finally:
        data.close()


@router.get("/counts", response=answers(CountsOut, records=True, stored_data=True),
            url_name="outcomes_counts")
def count_rows(request: HttpRequest, period: str, by: str = "", tables: str = "",
               date: str = "", county: str = "") -> CountsOut:
    """Stock and flow counts (children in care on ``date``, by default the period's last day;
    entries, exits and 4B placements of entries in ``period``), grouped ``by`` dimensions, with
    ``total`` margins, for the caller's counties or the ``county`` codes given."""
    parsed = _period(period)
    try:
        day = parse_date(date) if date else None
    except PeriodError as error:
        raise _refused(error, "date") from None
    scope, data = _opened(request)

    def build() -> CountsOut:
        result = stock_flow.compute(data, parsed, by=_names(by), tables=_names(tables) or None,
                                    day=day, scope=_counties(scope, county),
                                    suppress_cells=not scope.unsuppressed)
        return CountsOut(period_start=parsed.start.isoformat(),
                         period_end=parsed.end.isoformat(), date=(day or parsed.end).isoformat(),
                         by=list(result.by), suppressed=not scope.unsuppressed,
                         rows=[CountRowOut(**row) for row in result.records()])

    try:
        return _cached(data, "counts", scope, (parsed, by, tables, day, county), build)
    except computing.UsageError as error:
        raise _refused(error) from None
    finally:
        data.close()


@router.get("/time-to-permanency",
            response=answers(list[CurveOut], records=True, stored_data=True),
            url_name="outcomes_time_to_permanency")
def permanency_curves(request: HttpRequest, period: str, by: str = "",
                      county: str = "") -> list[CurveOut]:
    """Kaplan–Meier time to permanency of the children entering care in ``period``, per group."""
    parsed = _period(period)
    scope, data = _opened(request)

    def build() -> list[CurveOut]:
        curves = time_to_permanency.compute(data, parsed, by=_names(by),
                                            scope=_counties(scope, county),
                                            suppress=not scope.unsuppressed)
        return [CurveOut(groups=dict(curve.groups), cohort=curve.cohort,
                         permanent=curve.permanent, median_months=curve.median_months,
                         points=[(point.month, point.permanency) for point in curve.points],
                         incidence=curve.incidence, suppressed=curve.suppressed)
                for curve in curves]

    try:
        return _cached(data, "time-to-permanency", scope, (parsed, by, county), build)
    except computing.UsageError as error:
        raise _refused(error) from None
    finally:
        data.close()
