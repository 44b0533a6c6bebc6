"""Writing a result in the formats of §6: CSV, JSON or Parquet."""

from __future__ import annotations

import csv
import io
import json
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from practicehub.outcomes.engine.results import ComputeResult

FORMATS = ("csv", "json", "parquet")
_ARROW_TYPES = {
    "numerator": pa.int64(),
    "denominator": pa.int64(),
    "value": pa.float64(),
    "ci_low": pa.float64(),
    "ci_high": pa.float64(),
    "suppressed": pa.bool_(),
}


def csv_cell(value: Any) -> str:
    """``true``/``false``, integers as integers, floats unrounded (shortest exact repr), empty for
    no value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_csv(result: ComputeResult, stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(result.columns)
    for record in result.records():
        writer.writerow([csv_cell(record[column]) for column in result.columns])


def write_json(result: ComputeResult, stream: IO[str]) -> None:
    json.dump(result.records(), stream, indent=1)
    stream.write("\n")


def render_text(result: ComputeResult, fmt: str) -> str:
    stream = io.StringIO()
    if fmt == "json":
        write_json(result, stream)
    else:
        write_csv(result, stream)
    return stream.getvalue()


def arrow_table(result: ComputeResult) -> Any:
    records = result.records()
    return pa.table({
        column: pa.array([record[column] for record in records],
                         type=_ARROW_TYPES.get(column, pa.string()))
        for column in result.columns
    })


def write_parquet(result: ComputeResult, target: Any) -> None:
    pq.write_table(arrow_table(result), target)
