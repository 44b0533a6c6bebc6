"""Computing measures into the result rows of §6: the one entry point for the CLI and dashboards.

Typical use::

    data = store.open_data(path)               # a data directory or an imported .duckdb file
    result = engine.compute(
        data, parse_period("24B25A"), by=("office",), scope={"county": ("06019",)}
    )
    result.rows                                # suppressed unless suppress=False

A measure is a pure Ibis expression over schema-only tables (``OutcomeTables.unbound()``). The
requested measures of one period and grouping are computed by one query (``period_pass``: one
scan of the episode facts shared by the measures), compiled to the runner's SQL dialect once per
measures and parameters (cached), and the runner executes the SQL where the data are: a
:class:`store.OutcomeData` (``DuckDBData`` for DuckDB, ``postgres_store.PostgresData`` for a
PostgreSQL schema the pages read), or :class:`IbisRunner` around any Ibis backend (PostgreSQL,
...) whose tables carry the contract's names and types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine import contract, intervals, sql_cache, suppression
from practicehub.outcomes.engine.marks import marks_for
from practicehub.outcomes.engine.measures import (
    MEASURES,
    MeasureParams,
    MeasureSpec,
    grouping_problem,
)
from practicehub.outcomes.engine.measures.period_pass import period_pass
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.engine.results import ComputeResult, ResultRow
from practicehub.outcomes.engine.tables import OutcomeTables


class Runner(Protocol):
    """Where the data are: runs SQL of its dialect and returns rows as dictionaries."""

    @property
    def dialect(self) -> str: ...

    def fetch(self, sql: str) -> list[dict[str, Any]]: ...


class IbisRunner:
    """A Runner over an Ibis backend connection, through its DB-API cursor."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    @property
    def dialect(self) -> str:
        return str(self.backend.name)

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.backend.raw_sql(sql)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self.backend.disconnect()


class UsageError(ValueError):
    """The request names an unknown measure or dimension."""


def resolve_measures(ids: Sequence[str] | None) -> list[MeasureSpec]:
    if not ids:
        return list(MEASURES.values())
    unknown = [name for name in ids if name not in MEASURES]
    if unknown:
        raise UsageError(f"unknown measure {', '.join(unknown)}; known: {', '.join(MEASURES)}")
    return [MEASURES[name] for name in dict.fromkeys(ids)]


def check_dimensions(params: MeasureParams) -> None:
    known = (*contract.DIMENSIONS, *params.rollup_names)
    unknown = [name for name in params.dimensions_used if name not in known]
    if unknown:
        raise UsageError(f"unknown dimension {', '.join(unknown)}; known: {', '.join(known)}")
    if len(set(params.by)) != len(params.by):
        raise UsageError("a dimension is repeated in --by")


def interval(spec: MeasureSpec, numerator: int, denominator: int) -> tuple[float, float] | None:
    """Wilson for proportions, exact Poisson for rates, none for indices."""
    if spec.kind == "proportion":
        return intervals.wilson_interval(numerator, denominator)
    if spec.kind == "rate":
        return intervals.rate_interval(numerator, denominator, spec.scale)
    return None


def _float(value: Any) -> float | None:
    # NULL and NaN both mean "no value" (denominator 0).
    if value is None or value != value:
        return None
    return float(value)


def _row(spec: MeasureSpec, params: MeasureParams, record: Mapping[str, Any]) -> ResultRow:
    numerator, denominator = int(record["numerator"]), int(record["denominator"])
    bounds = interval(spec, numerator, denominator)
    return ResultRow(
        measure=spec.id,
        period_start=params.start,
        period_end=params.end,
        groups=tuple((name, _text(record[name])) for name in params.by),
        numerator=numerator,
        denominator=denominator,
        value=_float(record["value"]),
        ci_low=None if bounds is None else bounds[0],
        ci_high=None if bounds is None else bounds[1],
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _group_order(row: ResultRow) -> tuple[tuple[bool, str], ...]:
    """Groups sorted by value, missing values last."""
    return tuple((value is None, value or "") for _, value in row.groups)


@lru_cache(maxsize=1024)
def compiled_sql(measure_id: str, params: MeasureParams, dialect: str) -> str:
    """The SQL of one measure; compiling is the slow part, and it depends only on these.

    Cached in this process and on disk (``sql_cache``), so a new process skips compiling too.
    """
    request = f"measure {measure_id}\n{params!r}\ndialect {dialect}"
    cached = sql_cache.load(request)
    if cached is not None:
        return cached
    sql = to_sql(MEASURES[measure_id].function(OutcomeTables.unbound(), params), dialect)
    sql_cache.store(request, sql)
    return sql


@lru_cache(maxsize=256)
def compiled_pass(measure_ids: tuple[str, ...], params: MeasureParams, dialect: str) -> str:
    """The SQL computing several measures in one query (``period_pass``), cached as
    :func:`compiled_sql` is."""
    request = f"measures {','.join(measure_ids)}\n{params!r}\ndialect {dialect}"
    cached = sql_cache.load(request)
    if cached is not None:
        return cached
    specs = [MEASURES[measure_id] for measure_id in measure_ids]
    sql = to_sql(period_pass(OutcomeTables.unbound(), params, specs), dialect)
    sql_cache.store(request, sql)
    return sql


# Dialects sent each measure as its own query instead of one pass for the period: Spark plans the
# one wide query of every measure badly (at 10,000,000 episodes in local mode it had not answered
# after 79 minutes; one query per measure took 1,425 s in all), while DuckDB and PostgreSQL
# answer the one pass fastest. The rows are the same either way (test_period_pass, test_spark).
MEASURE_BY_MEASURE = frozenset({"pyspark"})


def measure_rows(spec: MeasureSpec, runner: Runner, params: MeasureParams) -> list[ResultRow]:
    """One measure's rows with intervals, unsuppressed, sorted by group."""
    records = runner.fetch(compiled_sql(spec.id, params, runner.dialect))
    return sorted((_row(spec, params, record) for record in records), key=_group_order)


def measures_rows(specs: Sequence[MeasureSpec], runner: Runner, params: MeasureParams
                  ) -> dict[str, list[ResultRow]]:
    """The rows of every measure of ``specs`` from one query, as :func:`measure_rows` gives
    them one measure at a time."""
    if not specs:
        return {}
    if runner.dialect in MEASURE_BY_MEASURE:
        return {spec.id: measure_rows(spec, runner, params) for spec in specs}
    sql = compiled_pass(tuple(spec.id for spec in specs), params, runner.dialect)
    records: dict[str, list[Mapping[str, Any]]] = {spec.id: [] for spec in specs}
    for record in runner.fetch(sql):
        records[str(record["measure"])].append(record)
    return {
        spec.id: sorted((_row(spec, params, record) for record in records[spec.id]),
                        key=_group_order)
        for spec in specs
    }


def compute(
    runner: Runner,
    period: Period,
    *,
    by: Sequence[str] = (),
    measures: Sequence[str] | None = None,
    reference_date: date | None = None,
    suppress: bool = True,
    scope: Mapping[str, Sequence[str]] | None = None,
    rollups: Mapping[str, Mapping[str, str]] | None = None,
) -> ComputeResult:
    """Compute measures for ``period`` grouped ``by``; measures that cannot take the grouping are
    left out with a warning. Suppression (§5) applies unless ``suppress`` is False."""
    params = MeasureParams.build(period, by, reference_date, scope, rollups)
    check_dimensions(params)
    requested = resolve_measures(measures)
    problems = {spec.id: grouping_problem(spec, params) for spec in requested}
    # Every measure that can take the grouping, in one query.
    measured = measures_rows([spec for spec in requested if problems[spec.id] is None],
                             runner, params)
    warnings: list[str] = []
    rows: list[ResultRow] = []
    for spec in requested:
        problem = problems[spec.id]
        if problem is not None:
            warnings.append(f"left out {problem}")
            continue
        warnings += _population_warnings(spec, params, measured[spec.id])
        rows += measured[spec.id]
    if suppress:
        rows = suppression.suppress(rows, params.by)
    return ComputeResult(mark_quality(rows, runner, scope), params.by, warnings)


def mark_quality(rows: list[ResultRow], runner: Runner,
                 scope: Mapping[str, Sequence[str]] | None = None) -> list[ResultRow]:
    """Each row marked ``DQ`` or ``ok`` (§1a): by its county, its office's counties, the scope's
    counties, or else all the data."""
    marks = marks_for(runner)
    counties = (scope or {}).get("county")
    return [replace(row, data_quality=marks.mark(dict(row.groups), counties)) for row in rows]


def _population_warnings(
    spec: MeasureSpec, params: MeasureParams, rows: list[ResultRow]
) -> list[str]:
    if spec.dimensions != "population" or any(row.denominator for row in rows):
        return []
    return [
        f"{spec.id}: the population table has no children aged 0-17 for the year used (the year "
        f"the period ends, or of the reference date {params.reference} for children in care)"
    ]


class _PySparkOptions(ibis.config.Config):  # type: ignore[misc]
    """What ibis's PySpark compiler reads; normally registered only when pyspark is installed."""

    treat_nan_as_null: bool = False


def to_sql(expr: ir.Expr, dialect: str) -> str:
    """Compile a measure to SQL of ``dialect`` (duckdb, postgres, pyspark) without a connection."""
    if dialect == "pyspark" and ibis.options.pyspark is None:
        ibis.options.pyspark = _PySparkOptions()
    # Unindented SQL compiles about a third faster; nobody reads it but the database.
    return str(ibis.to_sql(expr, dialect=dialect, pretty=False))
