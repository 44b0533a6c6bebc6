"""Finding the table files of a data directory and staging them, untyped, in DuckDB.

Every file is read with every value as text, so nothing is rejected or coerced while reading:
validation then looks at the text and can name the file, row and column of each problem. A staged
table keeps the file's row order, and ``_row`` is the 1-based data row (the header is not a row,
so a CSV file's line number is ``_row + 1``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import duckdb

from practicehub.outcomes import contract

FileFormat = Literal["csv", "parquet"]
FORMATS: tuple[FileFormat, ...] = ("csv", "parquet")


@dataclass(frozen=True)
class Source:
    """One table file found in the data directory."""

    table: str
    path: Path
    format: FileFormat

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def raw_table(self) -> str:
        return f"raw_{self.table}"

    @property
    def view(self) -> str:
        """The staged rows: ``_row`` and every contract column as text (NULL if absent)."""
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


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _parquet_text(column: str, type_name: str) -> str:
    """A Parquet column as contract text: dates as YYYY-MM-DD, midnight timestamps as dates."""
    quoted = _quote(column)
    upper = type_name.upper()
    if upper == "DATE":
        return f"strftime({quoted}, '%Y-%m-%d')"
    if upper.startswith("TIMESTAMP"):
        return (
            f"CASE WHEN CAST({quoted} AS TIME) = TIME '00:00:00' "
            f"THEN strftime(CAST({quoted} AS DATE), '%Y-%m-%d') ELSE CAST({quoted} AS VARCHAR) END"
        )
    return f"CAST({quoted} AS VARCHAR)"


def _read_raw(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    path = _literal(str(source.path))
    if source.format == "csv":
        con.execute(
            f"CREATE TABLE {source.raw_table} AS SELECT * FROM read_csv({path}, header=true, "
            "all_varchar=true, delim=',', quote='\"', escape='\"')"
        )
        return
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet({path})").fetchall()
    columns = ", ".join(
        f"{_parquet_text(name, type_name)} AS {_quote(name)}" for name, type_name, *_ in described
    )
    con.execute(
        f"CREATE TABLE {source.raw_table} AS SELECT {columns} FROM read_parquet({path})"
    )


def _file_columns(con: duckdb.DuckDBPyConnection, source: Source) -> list[str]:
    rows = con.execute(f"DESCRIBE {source.raw_table}").fetchall()
    return [str(row[0]) for row in rows]


def stage(con: duckdb.DuckDBPyConnection, source: Source) -> list[FileProblem]:
    """Read ``source`` into ``raw_<table>`` and create its ``staged_<table>`` view.

    A column the contract marks required must be in the file; an optional one may be left out
    and reads as empty.
    """
    spec = contract.TABLES_BY_NAME[source.table]
    try:
        _read_raw(con, source)
    except duckdb.Error as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return [FileProblem("unreadable_file", source.name, f"cannot be read: {first_line}")]
    present = set(_file_columns(con, source))
    problems = [
        FileProblem("missing_column", source.name, "required column missing", column.name)
        for column in spec.columns
        if column.required and column.name not in present
    ]
    selected = [
        _quote(column.name) if column.name in present
        else f"CAST(NULL AS VARCHAR) AS {_quote(column.name)}"
        for column in spec.columns
    ]
    con.execute(
        f"CREATE VIEW {source.view} AS SELECT rowid + 1 AS _row, {', '.join(selected)} "
        f"FROM {source.raw_table}"
    )
    return problems


def row_count(con: duckdb.DuckDBPyConnection, source: Source) -> int:
    result: Any = con.execute(f"SELECT count(*) FROM {source.raw_table}").fetchone()
    return int(result[0])
