"""Finding the table files of a data directory and staging them in DuckDB for validation.

A staged file is a temporary view ``staged_<table>`` with ``_row``, the 1-based data row (the
header is not a row, so a CSV file's line number is ``_row + 1``), every contract column as text
(NULL when the file leaves an optional column out), and for each date column ``<name>__date``, the
date it holds or NULL. Nothing is rejected or coerced while reading: validation looks at the text
and can name the file, row and column of each problem, and the cross-row rules compare the parsed
dates. CSV is parsed once into a temporary table, every value as text, whose rowid keeps the file
order (DuckDB preserves insertion order); Parquet is read in place, in its own types, numbered by
``file_row_number``, so a DATE column needs no parsing.

A table may also be a Parquet dataset: a folder ``episodes/`` (or ``episodes.parquet/``, as Spark
writes one) of ``*.parquet`` files, at any depth, partitioned or not (``county=06019/…``: the
folder names give the column, read as text, so a code keeps its leading zero). Its rows are
numbered across the files in the order of their paths.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

from practicehub.core.textfiles import describe_decode_error
from practicehub.outcomes.engine import contract

FileFormat = Literal["csv", "parquet"]
FORMATS: tuple[FileFormat, ...] = ("csv", "parquet")


@dataclass(frozen=True)
class Source:
    """One table file found in the data directory."""

    table: str
    path: Path
    format: FileFormat
    # How problems name the file when it is not the user's (a table kept from an earlier import).
    label: str = ""

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return f"{self.path.name}/" if self.is_dataset else self.path.name

    @property
    def is_dataset(self) -> bool:
        """A folder of Parquet files rather than one file."""
        return self.format == "parquet" and self.path.is_dir()

    @property
    def parsed_table(self) -> str:
        """A CSV file's rows, parsed once."""
        return f"csv_{self.table}"

    @property
    def view(self) -> str:
        return f"staged_{self.table}"


@dataclass(frozen=True)
class FileProblem:
    """A problem with a whole file: missing, ambiguous, unreadable, or missing a column."""

    rule: str
    file: str
    message: str
    column: str | None = None


def find_sources(data_dir: Path) -> tuple[dict[str, Source], list[FileProblem]]:
    """The table files of ``data_dir``, by table name, and problems finding them."""
    sources: dict[str, Source] = {}
    problems: list[FileProblem] = []
    if not data_dir.is_dir():
        return {}, [FileProblem("missing_file", str(data_dir), "data directory not found")]
    for spec in contract.TABLES:
        found = [data_dir / f"{spec.name}.{fmt}" for fmt in FORMATS]
        present = [path for path in found if path.is_file()]
        present += [path for path in (data_dir / f"{spec.name}.parquet", data_dir / spec.name)
                    if path.is_dir()]
        if len(present) > 1:
            problems.append(FileProblem(
                "ambiguous_file", present[0].name,
                f"both {present[0].name} and {present[1].name} exist; keep one",
            ))
        elif present:
            fmt: FileFormat = "csv" if present[0].suffix == ".csv" else "parquet"
            sources[spec.name] = Source(spec.name, present[0], fmt)
        elif not spec.optional:
            problems.append(FileProblem(
                "missing_file", f"{spec.name}.csv",
                f"required table {spec.name} not found (expected {spec.name}.csv or "
                f"{spec.name}.parquet)",
            ))
    return sources, problems


class SourceError(ValueError):
    """A file that cannot be read as a table."""


def _reason(error: Exception) -> str:
    """The first two lines of a reader's error: what failed and where."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    # DuckDB appends the statement it ran ("LINE 1: ..."): not the user's concern.
    lines = [line for line in lines if not line.startswith("LINE ")]
    return " ".join(lines[:2]) or type(error).__name__


def _decode_problem(path: Path) -> str:
    """Where a CSV file stops being UTF-8 text, by line, column and byte offset."""
    # Reading the header failed inside its first buffer, so the first mebibyte holds the byte.
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return describe_decode_error(head, error)
    return "is not UTF-8 text"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def date_column(name: str) -> str:
    """The staged column holding the parsed date of date column ``name``."""
    return f"{name}__date"


# The "type" of every CSV column: text, with its dates already parsed into <name>__date.
CSV_TEXT = "csv text"

# Text that is a real date written YYYY-MM-DD, as a DATE; anything else NULL.
PARSE_DATE_MACRO = (
    "CREATE OR REPLACE TEMP MACRO ph_date(x) AS (CASE WHEN regexp_full_match(x, "
    "'[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST(x AS DATE) END)"
)


def _as_text(column: str, type_name: str) -> str:
    """A column as contract text: a DATE as YYYY-MM-DD, a midnight timestamp as its date."""
    quoted, upper = _quote(column), type_name.upper()
    if upper.startswith("TIMESTAMP"):
        return (
            f"CASE WHEN CAST({quoted} AS TIME) = TIME '00:00:00' "
            f"THEN CAST(CAST({quoted} AS DATE) AS VARCHAR) ELSE CAST({quoted} AS VARCHAR) END"
        )
    return f"CAST({quoted} AS VARCHAR)"


def _as_date(column: str, type_name: str) -> str:
    """A date column's DATE: native dates as they are, text parsed strictly, CSV dates as parsed
    while reading."""
    quoted, upper = _quote(column), type_name.upper()
    if type_name == CSV_TEXT:
        return _quote(date_column(column))
    if upper == "DATE":
        return quoted
    if upper.startswith("TIMESTAMP"):
        return f"CASE WHEN CAST({quoted} AS TIME) = TIME '00:00:00' THEN CAST({quoted} AS DATE) END"
    return f"ph_date(CAST({quoted} AS VARCHAR))"


def csv_header(path: Path) -> list[str]:
    """The column names on a CSV file's first line (a UTF-8 byte order mark is allowed)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def _csv_options(header: list[str]) -> str:
    # Columns named from the header and read as text: no type sniffing, so a ragged row is
    # reported with its line number instead of failing dialect detection.
    columns = ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in header)
    return (
        f"header=true, auto_detect=false, delim=',', quote='\"', escape='\"', "
        f"columns={{{columns}}}"
    )


def _read(
    con: duckdb.DuckDBPyConnection, source: Source, spec: contract.TableSpec
) -> tuple[str, dict[str, str]]:
    """The FROM clause of the file's rows with ``_row`` (and, for CSV, its parsed dates), and the
    file's columns with their types."""
    path = _literal(str(source.path))
    if source.format == "csv":
        header = csv_header(source.path)
        if not header:
            raise SourceError("the file is empty: a header row is needed")
        # Dates are parsed once here rather than by every rule that compares them.
        parsed = "".join(
            f", ph_date({_quote(column.name)}) AS {_quote(date_column(column.name))}"
            for column in spec.columns
            if column.kind == "date" and column.name in header
        )
        con.execute(
            f"CREATE TEMP TABLE {source.parsed_table} AS "  # noqa: S608
            f"SELECT *{parsed} FROM read_csv({path}, {_csv_options(header)})"
        )
        origin = f"(SELECT rowid + 1 AS _row, * FROM {source.parsed_table})"  # noqa: S608
        return origin, dict.fromkeys(header, CSV_TEXT)
    if source.is_dataset:
        if not any(source.path.rglob("*.parquet")):
            raise SourceError("the folder holds no .parquet files")
        files = _literal(str(source.path / "**" / "*.parquet"))
        origin = (
            "(SELECT row_number() OVER (ORDER BY filename, file_row_number) AS _row, "  # noqa: S608
            f"* EXCLUDE (filename, file_row_number) FROM read_parquet({files}, "
            "file_row_number=true, filename=true, hive_partitioning=true, "
            "hive_types_autocast=false))"
        )
    else:
        origin = (
            f"(SELECT file_row_number + 1 AS _row, * EXCLUDE (file_row_number) "  # noqa: S608
            f"FROM read_parquet({path}, file_row_number=true))"
        )
    described = con.execute(f"DESCRIBE SELECT * FROM {origin}").fetchall()  # noqa: S608
    return origin, {str(row[0]): str(row[1]) for row in described if row[0] != "_row"}


def _staged_columns(spec: contract.TableSpec, types: dict[str, str]) -> list[str]:
    selected = ["_row"]
    for column in spec.columns:
        name = _quote(column.name)
        present = column.name in types
        text = _as_text(column.name, types[column.name]) if present else "CAST(NULL AS VARCHAR)"
        selected.append(f"{text} AS {name}")
        if column.kind == "date":
            parsed = _as_date(column.name, types[column.name]) if present else "CAST(NULL AS DATE)"
            selected.append(f"{parsed} AS {_quote(date_column(column.name))}")
    return selected


def stage(con: duckdb.DuckDBPyConnection, source: Source) -> list[FileProblem]:
    """Create the ``staged_<table>`` view of ``source``.

    A column the contract marks required must be in the file; an optional one may be left out
    and reads as empty.
    """
    spec = contract.TABLES_BY_NAME[source.table]
    con.execute(PARSE_DATE_MACRO)
    try:
        origin, types = _read(con, source, spec)
    except UnicodeDecodeError:
        return [FileProblem("unreadable_file", source.name,
                            f"cannot be read: it {_decode_problem(source.path)}")]
    except (duckdb.Error, SourceError) as error:
        return [FileProblem("unreadable_file", source.name, f"cannot be read: {_reason(error)}")]
    found = ", ".join(types)
    problems = [
        FileProblem("missing_column", source.name,
                    f"required column missing (the file has: {found[:200]})", column.name)
        for column in spec.columns
        if column.required and column.name not in types
    ]
    con.execute(
        f"CREATE TEMP VIEW {source.view} AS "  # noqa: S608
        f"SELECT {', '.join(_staged_columns(spec, types))} FROM {origin}"
    )
    return problems
