"""Writing a result in the formats of §6: CSV, JSON or Parquet."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("csv", "json", "parquet")
_INTEGER_COLUMNS = ("numerator", "denominator")
_FLOAT_COLUMNS = ("value", "ci_low", "ci_high")


def _plain(value: Any) -> Any:
    """A cell as a plain Python value: None for missing, int, float, bool or str."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def _records(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    columns = list(frame.columns)
    for row in frame.itertuples(index=False, name=None):
        yield {column: _plain(value) for column, value in zip(columns, row, strict=True)}


def csv_cell(value: Any) -> str:
    """``true``/``false``, integers as integers, floats unrounded (shortest exact repr)."""
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, float):
        return repr(plain)
    return str(plain)


def write_csv(frame: pd.DataFrame, stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(frame.columns)
    for record in _records(frame):
        writer.writerow([csv_cell(value) for value in record.values()])


def write_json(frame: pd.DataFrame, stream: IO[str]) -> None:
    json.dump(list(_records(frame)), stream, indent=1)
    stream.write("\n")


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    arrays = {}
    for column in frame.columns:
        values = [_plain(value) for value in frame[column]]
        if column in _INTEGER_COLUMNS:
            arrays[column] = pa.array(values, type=pa.int64())
        elif column in _FLOAT_COLUMNS:
            arrays[column] = pa.array(values, type=pa.float64())
        elif column == "suppressed":
            arrays[column] = pa.array(values, type=pa.bool_())
        else:
            arrays[column] = pa.array(values, type=pa.string())
    return pa.table(arrays)


def render_text(frame: pd.DataFrame, fmt: str) -> str:
    stream = io.StringIO()
    if fmt == "json":
        write_json(frame, stream)
    else:
        write_csv(frame, stream)
    return stream.getvalue()


def write_parquet(frame: pd.DataFrame, target: Any) -> None:
    pq.write_table(arrow_table(frame), target)
