"""Whatever an agency hands the outcome import (a data directory of CSV or Parquet files, a federal
file) and whatever period a user types, the result is a load, a period, or problems located by
file, row and column: never an unexpected exception, and never a partial write (the store is
byte for byte what it was after a refused import)."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from practicehub.outcomes.data import store
from practicehub.outcomes.data.federal_file import ConversionError, import_federal_file
from practicehub.outcomes.data.keep import kept_label
from practicehub.outcomes.data.validation import Problem
from practicehub.outcomes.engine import contract
from practicehub.outcomes.engine.periods import Period, PeriodError, parse_period
from practicehub.outcomes.management.commands.outcomes import _periods
from practicehub.outcomes.tests.builders import (
    child,
    episode,
    placement,
    population,
    report,
)
from practicehub.outcomes.tests.test_federal_file import COLUMNS as FEDERAL_COLUMNS
from practicehub.outcomes.tests.test_federal_file import record

# Each example is a real import (about half a second): enough of them to try every kind of input.
SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
# Problems about a whole file need no row.
FILE_RULES = {"missing_file", "ambiguous_file", "unreadable_file", "missing_column",
              "empty_table"}
JUNK = ["", " ", "x", "0", "-1", "1x", "18", "1e3", "3.0", "9999-99-99", "2023-02-30",
        "2023-2-1", "20230201", "0001-01-01", "9999-12-31", "99999", "6019", "06019 ", "06115",
        "٠٦٠١٩", "=SUM(A1)", "\t", "\r", "\n", '"', ",", "ü", "\u202e", "\x00", "C1", "E1",
        "yes", "YES", "unknown", "adoption", "group_home", "white", "x" * 300]


def _valid_tables() -> dict[str, list[dict[str, str]]]:
    return {
        "children": [child("C1"), child("C2", "2012-06-30", race="hispanic")],
        "episodes": [episode("E1", "C1", "2023-02-01", "2023-06-01", "reunification"),
                     episode("E2", "C2", "2023-03-01", county="06001")],
        "placements": [placement("E1", "2023-02-01"), placement("E2", "2023-03-01"),
                       placement("E2", "2023-05-01", "", "relative_foster")],
        "maltreatment_reports": [report("R1", "C1", "2023-01-10")],
        "population": [population("06019", 2023, "white", 5, 1000),
                       population("06001", 2023, "hispanic", 12, 800)],
        "assignments": [{"episode_id": "E1", "worker_id": "w1", "office": "north",
                         "start_date": "2023-02-01", "end_date": ""}],
    }


def _csv(header: list[str], rows: list[list[str]]) -> str:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue()


def _junk() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(JUNK), st.text(max_size=12))


@st.composite
def broken_table(draw: st.DrawFn) -> tuple[str, bytes]:
    """One table's file made wrong in one of several ways (or left valid)."""
    tables = _valid_tables()
    table = draw(st.sampled_from(sorted(tables)))
    header = list(contract.TABLES_BY_NAME[table].column_names)
    rows = [[row.get(name, "") for name in header] for row in tables[table]]
    how = draw(st.sampled_from(["cells", "cells", "cells", "drop_column", "header_only",
                                "ragged", "duplicate", "bytes", "text", "valid"]))
    event(f"data directory: {how}")
    if how == "cells":
        for _ in range(draw(st.integers(1, 3))):
            row = draw(st.integers(0, len(rows) - 1))
            rows[row][draw(st.integers(0, len(header) - 1))] = draw(_junk())
    elif how == "drop_column":
        index = draw(st.integers(0, len(header) - 1))
        header.pop(index)
        rows = [row[:index] + row[index + 1:] for row in rows]
    elif how == "header_only":
        rows = []
    elif how == "ragged":
        rows[0] = rows[0] + [draw(_junk())]
    elif how == "duplicate":
        rows.append(list(rows[0]))
    elif how == "bytes":
        return table, draw(st.binary(max_size=200))
    elif how == "text":
        return table, draw(st.text(max_size=200)).encode("utf-8")
    return table, _csv(header, rows).encode("utf-8")


def _write_valid(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for table, rows in _valid_tables().items():
        header = list(contract.TABLES_BY_NAME[table].column_names)
        (directory / f"{table}.csv").write_text(
            _csv(header, [[row.get(name, "") for name in header] for row in rows]),
            encoding="utf-8")


def _snapshot(database: Path) -> dict[str, str]:
    """Every file of the store's folder with a hash of its bytes."""
    files: dict[str, str] = {}
    for root, _, names in os.walk(database.parent):
        for name in names:
            path = Path(root) / name
            files[str(path.relative_to(database.parent))] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    return files


def _assert_located(problems: list[Problem], files: set[str]) -> None:
    assert problems, "a refusal names at least one problem"
    for problem in problems:
        assert problem.file in files, str(problem)
        assert problem.message
        if problem.rule not in FILE_RULES:
            assert problem.row is not None, str(problem)
            assert problem.row >= 1, str(problem)
        event(f"refused: {problem.rule}")


@pytest.fixture
def database() -> Iterator[Path]:
    """A store holding a good import; examples import into it in turn."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "store" / store.DATABASE_NAME
        _write_valid(Path(folder) / "good")
        store.import_directory(Path(folder) / "good", target)
        yield target


def _import_or_refusal(data: Path, database: Path, files: set[str],
                       **options: Any) -> None:
    before = _snapshot(database)
    try:
        store.import_directory(data, database, **options)
    except store.InvalidDataError as error:
        _assert_located(error.report.problems, files)
        assert _snapshot(database) == before, "a refused import changed the store"
        return
    event("loaded")
    assert database.is_file()


@SETTINGS
@given(broken=broken_table())
def test_any_csv_file_is_loaded_or_refused_with_located_problems(
    db: None, database: Path, broken: tuple[str, bytes],
) -> None:
    table, content = broken
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        _write_valid(data)
        (data / f"{table}.csv").write_bytes(content)
        files = {f"{name}.csv" for name in contract.TABLES_BY_NAME}
        _import_or_refusal(data, database, files)


_ARROW_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "string": _junk(),
    "int64": st.integers(-(2**63), 2**63 - 1),
    "float64": st.floats(allow_nan=True, allow_infinity=True),
    "date32": st.dates(),
    "timestamp": st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    "bool": st.booleans(),
}
_ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(), "int64": pa.int64(), "float64": pa.float64(),
    "date32": pa.date32(), "timestamp": pa.timestamp("us"), "bool": pa.bool_(),
}


@st.composite
def parquet_table(draw: st.DrawFn) -> tuple[str, pa.Table | bytes]:
    """One table as a Parquet file whose columns have any type and any values (or garbage)."""
    table = draw(st.sampled_from(sorted(contract.TABLES_BY_NAME)))
    if draw(st.integers(0, 9)) == 0:
        event("parquet: garbage bytes")
        return table, draw(st.binary(max_size=100))
    rows = draw(st.integers(0, 4))
    columns: dict[str, pa.Array] = {}
    for name in contract.TABLES_BY_NAME[table].column_names:
        if draw(st.integers(0, 5)) == 0:
            continue  # the column left out
        kind = draw(st.sampled_from(sorted(_ARROW_VALUES)))
        event(f"parquet: a {kind} column")
        values = draw(st.lists(st.one_of(st.none(), _ARROW_VALUES[kind]),
                               min_size=rows, max_size=rows))
        columns[name] = pa.array(values, type=_ARROW_TYPES[kind])
    if not columns:
        columns["unrelated"] = pa.array([None] * rows, type=pa.string())
    return table, pa.table(columns)


@SETTINGS
@given(broken=parquet_table())
def test_any_parquet_file_is_loaded_or_refused_with_located_problems(
    db: None, database: Path, broken: tuple[str, pa.Table | bytes],
) -> None:
    table, content = broken
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        _write_valid(data)
        (data / f"{table}.csv").unlink()
        path = data / f"{table}.parquet"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            pq.write_table(content, path)
        files = {f"{name}.csv" for name in contract.TABLES_BY_NAME} | {path.name}
        _import_or_refusal(data, database, files)


FEDERAL_JUNK = [*JUNK, "1", "2", "3", "8", "9", "00", "01", "1.0", "20230231", "2023-02-01",
                "20230201", "19991231", "6019", "06023", "8"]


@st.composite
def federal_file(draw: st.DrawFn) -> bytes:
    """A federal file of a few records with some elements, headers in any case, junk values."""
    header = list(FEDERAL_COLUMNS)
    how = draw(st.sampled_from(["values", "values", "values", "values", "drop_column", "bytes",
                                "text", "valid"]))
    if how == "drop_column":
        header.pop(draw(st.integers(0, len(header) - 1)))
    header = [name.upper() if draw(st.booleans()) else name for name in header]
    event(f"federal file: {how}")
    if how == "bytes":
        return draw(st.binary(max_size=200))
    if how == "text":
        return draw(st.text(max_size=200)).encode("utf-8")
    records = [record(f"R{n}") for n in range(draw(st.integers(0, 3)))]
    rows = [[values[name] for name in FEDERAL_COLUMNS if name.lower() in
             {h.lower() for h in header}] for values in records]
    if how == "values" and rows:
        for _ in range(draw(st.integers(1, 4))):
            row = draw(st.integers(0, len(rows) - 1))
            if rows[row]:
                rows[row][draw(st.integers(0, len(rows[row]) - 1))] = draw(
                    st.one_of(st.sampled_from(FEDERAL_JUNK), st.text(max_size=8)))
    return _csv(header, rows).encode("utf-8")


@SETTINGS
@given(content=federal_file(), replace_all=st.booleans())
def test_any_federal_file_is_imported_or_refused_with_located_problems(
    db: None, database: Path, content: bytes, replace_all: bool,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "afcars.csv"
        path.write_bytes(content)
        before = _snapshot(database)
        try:
            import_federal_file(path, database, replace_all=replace_all)
        except ConversionError as error:
            _assert_located(error.report.problems, {"afcars.csv"})
            assert _snapshot(database) == before, "a refused import changed the store"
            return
        except store.InvalidDataError as error:
            _assert_located(error.report.problems,
                            {f"{name}.csv" for name in contract.TABLES_BY_NAME}
                            | {kept_label(name) for name in contract.TABLES_BY_NAME})
            assert _snapshot(database) == before, "a refused import changed the store"
            return
        event("loaded")


_DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
PERIOD_TEXT = st.one_of(
    st.text(max_size=30),
    st.tuples(_DATES, _DATES).map(":".join),
    st.from_regex(r"\A[0-9]{2}[ABab]([0-9]{2}[ABab])?\Z"),
    st.sampled_from(["23A23B", "24B25A", "23A", " 23a23b ", "99B00A", "00A", "2023-01-01:",
                     ":2023-12-31", "2023-12-31:2023-01-01", "2024-02-29:2025-02-28",
                     "0001-01-01:0001-12-31", "9999-01-01:9999-12-31", "2023-01-01::2023-12-31"]),
)
ROLLING_TEXT = st.one_of(
    st.none(), st.text(max_size=12),
    st.tuples(st.integers(-5, 10**12), st.integers(-5, 10**12)).map(lambda p: f"{p[0]}:{p[1]}"),
    st.integers(-5, 10**12).map(str),
    st.sampled_from(["4", "4:3", "4:", ":3", "1", "0", "-1", "4:0", "2:1200", "400:12"]),
)


@settings(max_examples=100, deadline=None)
@given(period=PERIOD_TEXT, rolling=ROLLING_TEXT)
def test_any_period_and_rolling_text_gives_periods_or_a_period_error(
    period: str, rolling: str | None,
) -> None:
    try:
        periods = _periods(period, rolling)
    except PeriodError as error:
        message = str(error)
        event("refused")
        assert message, "a refusal says what is wrong"
        return
    event("periods")
    assert periods
    assert all(isinstance(one, Period) and one.start <= one.end for one in periods)
    assert periods[-1] == parse_period(period)
    # Every period can be computed: the day after its end exists.
    assert all(one.day_after_end > one.end for one in periods)
