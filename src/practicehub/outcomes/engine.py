"""Computing measures into the result table of §6: the one entry point for the CLI and dashboards.

Typical use::

    data = store.open_data(path)                     # a data directory or an imported .duckdb
    result = engine.compute(
        data.tables, parse_period("24B25A"), by=("office",), scope={"county": ("06019",)}
    )
    result.frame                                     # suppressed unless suppress=False

The backend is whatever the tables are bound to (DuckDB from :mod:`store`); pass ``backend`` to
run unbound tables on another Ibis backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from practicehub.outcomes import contract, intervals, suppression
from practicehub.outcomes.measures import MEASURES, MeasureParams, MeasureSpec, grouping_problem
from practicehub.outcomes.periods import Period
from practicehub.outcomes.tables import OutcomeTables

VALUE_COLUMNS = ["numerator", "denominator", "value", "ci_low", "ci_high", "suppressed"]


class UsageError(ValueError):
    """The request names an unknown measure or dimension."""


def result_columns(by: Sequence[str]) -> list[str]:
    """Output columns in the order of §6."""
    return ["measure", "period_start", "period_end", *by, *VALUE_COLUMNS]


@dataclass
class ComputeResult:
    frame: pd.DataFrame
    params: MeasureParams
    warnings: list[str] = field(default_factory=list)


def resolve_measures(ids: Sequence[str] | None) -> list[MeasureSpec]:
    if not ids:
        return list(MEASURES.values())
    unknown = [name for name in ids if name not in MEASURES]
    if unknown:
        raise UsageError(
            f"unknown measure {', '.join(unknown)}; known: {', '.join(MEASURES)}"
        )
    return [MEASURES[name] for name in dict.fromkeys(ids)]


def check_dimensions(params: MeasureParams) -> None:
    known = (*contract.DIMENSIONS, *params.rollups)
    unknown = [name for name in params.dimensions_used if name not in known]
    if unknown:
        raise UsageError(f"unknown dimension {', '.join(unknown)}; known: {', '.join(known)}")
    if len(set(params.by)) != len(params.by):
        raise UsageError("a dimension is repeated in --by")


def _intervals(frame: pd.DataFrame, spec: MeasureSpec) -> pd.DataFrame:
    lows: list[float | None] = []
    highs: list[float | None] = []
    for numerator, denominator in zip(frame["numerator"], frame["denominator"], strict=True):
        bounds: tuple[float, float] | None = None
        if spec.kind == "proportion":
            bounds = intervals.wilson_interval(int(numerator), int(denominator))
        elif spec.kind == "rate":
            bounds = intervals.rate_interval(int(numerator), int(denominator), spec.scale)
        lows.append(None if bounds is None else bounds[0])
        highs.append(None if bounds is None else bounds[1])
    frame["ci_low"] = pd.array(lows, dtype="Float64")
    frame["ci_high"] = pd.array(highs, dtype="Float64")
    return frame


def _typed_frame(raw: pd.DataFrame, spec: MeasureSpec, params: MeasureParams) -> pd.DataFrame:
    frame = pd.DataFrame(index=range(len(raw)))
    frame["measure"] = spec.id
    frame["period_start"] = params.start.isoformat()
    frame["period_end"] = params.end.isoformat()
    for name in params.by:
        frame[name] = pd.array(raw[name].tolist(), dtype="string")
    frame["numerator"] = pd.array(raw["numerator"].tolist(), dtype="Int64")
    frame["denominator"] = pd.array(raw["denominator"].tolist(), dtype="Int64")
    # NaN and NULL both mean "no value" (denominator 0): keep them as missing, not as NaN.
    values = [None if pd.isna(value) else float(value) for value in raw["value"].tolist()]
    frame["value"] = pd.array(values, dtype="Float64")
    return _intervals(frame, spec)


def execute(expr: ir.Table, backend: Any | None = None) -> pd.DataFrame:
    result: pd.DataFrame = backend.execute(expr) if backend is not None else expr.execute()
    return result


def measure_frame(
    spec: MeasureSpec, tables: OutcomeTables, params: MeasureParams, backend: Any | None = None
) -> pd.DataFrame:
    """One measure's rows with intervals, unsuppressed, sorted by group."""
    raw = execute(spec.function(tables, params), backend)
    frame = _typed_frame(raw, spec, params)
    if params.by:
        frame = frame.sort_values(list(params.by), na_position="last", kind="stable")
    frame["suppressed"] = False
    return frame.reset_index(drop=True)


def compute(
    tables: OutcomeTables,
    period: Period,
    *,
    by: Sequence[str] = (),
    measures: Sequence[str] | None = None,
    reference_date: date | None = None,
    suppress: bool = True,
    scope: Mapping[str, Sequence[str]] | None = None,
    rollups: Mapping[str, Mapping[str, str]] | None = None,
    backend: Any | None = None,
) -> ComputeResult:
    """Compute measures for ``period`` grouped ``by``; measures that cannot take the grouping are
    left out with a warning. Suppression (§5) applies unless ``suppress`` is False."""
    params = MeasureParams(
        period,
        tuple(by),
        reference_date,
        {name: tuple(values) for name, values in (scope or {}).items()},
        dict(rollups or {}),
    )
    check_dimensions(params)
    warnings: list[str] = []
    frames: list[pd.DataFrame] = []
    for spec in resolve_measures(measures):
        problem = grouping_problem(spec, params)
        if problem is not None:
            warnings.append(f"left out {problem}")
            continue
        frames.append(measure_frame(spec, tables, params, backend))
    frame = pd.concat(frames, ignore_index=True) if frames else _empty(params.by)
    if suppress:
        frame = suppression.suppress(frame, params.by)
    return ComputeResult(frame[result_columns(params.by)], params, warnings)


def _empty(by: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in result_columns(by)})


class _PySparkOptions(ibis.config.Config):  # type: ignore[misc]
    """What ibis's PySpark compiler reads; normally registered only when pyspark is installed."""

    treat_nan_as_null: bool = False


def to_sql(expr: ir.Expr, dialect: str) -> str:
    """Compile a measure to SQL of ``dialect`` (duckdb, postgres, pyspark) without a connection."""
    if dialect == "pyspark" and ibis.options.pyspark is None:
        ibis.options.pyspark = _PySparkOptions()
    return str(ibis.to_sql(expr, dialect=dialect))
