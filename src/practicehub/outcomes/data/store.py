"""Loading validated data into DuckDB: in memory for one computation, or into a database file.

``import_directory`` never leaves a partial load behind: it builds the new database (and its
Parquet copies) beside the target under temporary names, checks the data there, and only when the
data is valid renames the new files over the old ones. Readers holding the old file keep reading it.
The temporary files go whatever way the import ends (:mod:`workfiles`). Tables the new data do not
hold keep the earlier import's rows unless the caller replaces everything (:mod:`keep`).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from practicehub.core.errors import NeedsReimport
from practicehub.outcomes.data import quality
from practicehub.outcomes.data.keep import (
    ImportResult,
    contract_columns,
    keep_earlier,
    kept_label,
    table_changes,
)
from practicehub.outcomes.data.sources import Source
from practicehub.outcomes.data.validation import (
    Checks,
    ValidationReport,
    add_flags,
    stage_and_validate,
)
from practicehub.outcomes.data.workfiles import (
    WorkFiles,
    remove,
    remove_leftovers,
    stop_on_terminate,
)
from practicehub.outcomes.engine import contract, facts
from practicehub.outcomes.engine.counties import KnownCounties
from practicehub.outcomes.engine.tables import ContractTables, OutcomeTables

DATABASE_NAME = "outcomes.duckdb"
Progress = Callable[[str], None]


class InvalidDataError(ValueError):
    """The data directory breaks the contract; ``report`` says where."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.format())
        self.report = report


class OutdatedDatabaseError(NeedsReimport):
    """An imported database lacks tables this version derives at import time: the pages and
    the API answer 503 with the message, which says to import the data again."""

    @classmethod
    def lacking(cls, where: str, what: str) -> OutdatedDatabaseError:
        """``where`` (a file, a PostgreSQL schema) lacks ``what`` as this version builds it."""
        return cls(f"{where} was imported by an older practicehub and lacks {what} as this "
                   "version builds them; import the data again (practicehub outcomes import)")

    @classmethod
    def lacking_facts(cls, where: str, missing: Iterable[str]) -> OutdatedDatabaseError:
        return cls.lacking(where, f"the derived tables {', '.join(missing)}")


class EarlierImportError(ValueError):
    """The earlier import cannot be read, so what it holds cannot be counted or kept."""


class OutcomeData(ABC):
    """Loaded outcome tables wherever they are (DuckDB, a PostgreSQL schema): runs compiled
    measures of its SQL ``dialect`` (an engine Runner). ``version`` changes whenever an import
    replaces the stored data, and keys cached results; empty for data loaded for one use."""

    report: ValidationReport
    dialect: str
    version: str = ""

    @abstractmethod
    def fetch(self, sql: str) -> list[dict[str, Any]]:
        """The rows of ``sql`` as dictionaries."""

    @abstractmethod
    def close(self) -> None:
        """Done reading (what is shared with other requests stays open)."""


@dataclass
class DuckDBData(OutcomeData):
    """Loaded outcome tables in a DuckDB connection."""

    con: duckdb.DuckDBPyConnection
    report: ValidationReport
    dialect: str = "duckdb"
    version: str = ""

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self.con.close()


def parquet_dir(database: Path) -> Path:
    """Where an imported database keeps Parquet copies of its tables (for other backends)."""
    return database.with_name(database.stem + "_parquet")


def _typed(column: contract.Column) -> str:
    """A validated staged column with its contract type."""
    name = f'"{column.name}"'
    if column.kind == "date":
        return f'"{column.name}__date" AS {name}'
    if column.kind == "integer":
        return f"CAST(NULLIF(trim({name}), '') AS BIGINT) AS {name}"
    # Blank means missing, as validation treats it.
    return f"CASE WHEN trim({name}) = '' THEN NULL ELSE {name} END AS {name}"


def create_typed_tables(con: duckdb.DuckDBPyConnection, sources: dict[str, Source]) -> None:
    """The contract tables with their real types, from validated staged files."""
    for table, source in sources.items():
        spec = contract.TABLES_BY_NAME[table]
        columns = [_typed(column) for column in spec.columns]
        if table == "placements":
            columns.append(f"_row AS {contract.PLACEMENT_ORDER_COLUMN}")
        con.execute(
            f"CREATE TABLE {table} AS SELECT {', '.join(columns)} "  # noqa: S608
            f"FROM {source.view}"
        )


def load_validated(con: duckdb.DuckDBPyConnection, report: ValidationReport,
                   sources: dict[str, Source], progress: Progress, *, strict: bool) -> None:
    """Typed tables; the data-quality checks (§1a): the report, the flagged rows, and the
    rows set aside into ``set_aside_<table>`` (with ``strict`` a flag refuses the data); then
    the facts. Raises InvalidDataError."""
    progress("loading")
    create_typed_tables(con, sources)
    progress("checking data quality")
    flagged = quality.flag_records(con, sources)
    if flagged and strict:
        add_flags(report, con)
        raise InvalidDataError(report)
    found = quality.build_report(con)
    quality.set_aside(con, flagged=flagged)
    report.quality = quality.with_set_aside_counts(con, found)
    quality.store_report(con, report.quality)
    drop_staging(con, sources)
    progress("deriving facts")
    create_fact_tables(con)


def create_fact_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The period-independent fact tables (``facts.py``), built from the loaded contract tables;
    those only the others read are temporary, dropped once the others are built."""
    statements = facts.create_statements(ContractTables.unbound(), "duckdb",
                                         temporary=facts.INTERMEDIATE_FACTS)
    for _, statement in statements:
        con.execute(statement)
    for name in facts.INTERMEDIATE_FACTS:
        con.execute(f"DROP TABLE {name}")


def missing_fact_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Fact tables that are absent or lack a column this version's measures read."""
    return facts_missing(con.execute(
        "SELECT table_name, column_name FROM information_schema.columns").fetchall())


def facts_missing(columns: Iterable[tuple[str, str]]) -> list[str]:
    """Of the (table, column) pairs the stored data hold: the fact tables absent or lacking a
    column this version's measures read."""
    present: dict[str, set[str]] = {}
    for table, column in columns:
        present.setdefault(table, set()).add(column)
    expected = OutcomeTables.unbound()
    return [
        name for name in facts.STORED_FACTS
        if not set(getattr(expected, name).columns) <= present.get(name, set())
    ]


def drop_staging(con: duckdb.DuckDBPyConnection, sources: dict[str, Source]) -> None:
    for source in sources.values():
        con.execute(f"DROP VIEW IF EXISTS {source.view}")
        con.execute(f"DROP TABLE IF EXISTS {source.parsed_table}")


def _noop(_: str) -> None:
    """Progress callback that reports nothing."""


# Computing on a data directory replaces nothing, so an empty table is only empty there.
IN_MEMORY_CHECKS = Checks(require_rows=False)
STRICT_IN_MEMORY_CHECKS = Checks(require_rows=False, strict=True)


def load_directory(
    data_dir: Path, *, progress: Progress = _noop, checks: Checks = IN_MEMORY_CHECKS
) -> DuckDBData:
    """Validate ``data_dir`` and load it into an in-memory DuckDB; raise InvalidDataError."""
    con = duckdb.connect()
    report, sources = stage_and_validate(con, data_dir, progress=progress, checks=checks)
    if not report.ok:
        con.close()
        raise InvalidDataError(report)
    try:
        load_validated(con, report, sources, progress, strict=checks.strict)
    except InvalidDataError:
        con.close()
        raise
    return DuckDBData(con, report)


def open_database(database: Path) -> DuckDBData:
    """Open an imported database read-only (many readers, one writer per DuckDB file)."""
    con = duckdb.connect(str(database), read_only=True)
    missing = missing_fact_tables(con)
    if missing:
        con.close()
        raise OutdatedDatabaseError.lacking_facts(str(database), missing)
    return DuckDBData(con, ValidationReport())


def open_data(path: Path, *, progress: Progress = _noop, strict: bool = False) -> DuckDBData:
    """A data directory (validated and loaded in memory; ``strict`` refuses record-level
    problems) or an imported DuckDB file."""
    if path.is_file():
        return open_database(path)
    return load_directory(path, progress=progress,
                          checks=STRICT_IN_MEMORY_CHECKS if strict else IN_MEMORY_CHECKS)


def _export_parquet(con: duckdb.DuckDBPyConnection, tables: list[str], target: Path) -> None:
    target.mkdir(parents=True)
    for table in tables:
        destination = str(target / f"{table}.parquet").replace("'", "''")
        con.execute(f"COPY {table} TO '{destination}' (FORMAT parquet)")


def _swap_in(new: Path, target: Path, work: WorkFiles) -> None:
    """Put ``new`` at ``target`` with a rename, so readers see the old or the new, never a mix."""
    if new.is_dir() and target.exists():
        old = work.old(target)
        os.replace(target, old)
        os.replace(new, target)
        remove(old)
    else:
        os.replace(new, target)


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of each contract table the database holds (those set aside by the data-quality
    checks included: they are stored too)."""
    present = {str(row[0]) for row in con.execute("SHOW TABLES").fetchall()}
    counts = {}
    for spec in contract.TABLES:
        if spec.name in present:
            counts[spec.name] = sum(
                _count(con, name) for name in (spec.name, quality.SET_ASIDE_PREFIX + spec.name)
                if name in present)
    return counts


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
    return int(row[0]) if row else 0


def _stored_counts(database: Path, *, replace_all: bool) -> dict[str, int]:
    if not database.exists():
        return {}
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            return row_counts(con)
    except duckdb.Error as error:
        if replace_all:
            return {}
        raise EarlierImportError(
            f"the earlier import {database} cannot be read ({error}), so the tables this import "
            "does not bring cannot be kept; import with --replace-all to replace it whole"
        ) from None


def _exporter(database: Path) -> Callable[[str, Path], Source]:
    def export(table: str, folder: Path) -> Source:
        path = folder / f"{table}.parquet"
        destination = str(path).replace("'", "''")
        with duckdb.connect(str(database), read_only=True) as con:
            present = {str(row[0]) for row in con.execute("SHOW TABLES").fetchall()}
            query = contract_columns(table, set_aside=quality.SET_ASIDE_PREFIX + table in present)
            con.execute(f"COPY ({query}) TO '{destination}' (FORMAT parquet)")
        return Source(table, path, "parquet", label=kept_label(table))

    return export


def import_directory(
    data_dir: Path, database: Path, *, progress: Progress = _noop,
    replace_all: bool = False, counties: KnownCounties | None = None,
    stand_ins: frozenset[str] = frozenset(), strict: bool = False,
) -> ImportResult:
    """Validate ``data_dir`` and, only if it is valid, replace ``database`` with its contents.

    Also writes Parquet copies of the tables to :func:`parquet_dir`. Raises InvalidDataError
    (and changes nothing) when the data break the contract. A table the data do not hold (an
    optional table without a file, or one of ``stand_ins``: tables whose file only stands in for
    data the source lacks) keeps the earlier import's rows, unless ``replace_all``. County codes
    are checked against ``counties`` (default: the configured state's). Record-level problems
    are flagged and their children set aside (§1a), or with ``strict`` refuse the data.
    """
    target = database
    target.parent.mkdir(parents=True, exist_ok=True)
    with stop_on_terminate():
        remove_leftovers(target, parquet_dir(target))
        work = WorkFiles.for_target(target, parquet_dir(target))
        try:
            before = _stored_counts(target, replace_all=replace_all)
            kept = keep_earlier(data_dir, before, _exporter(target), work.kept,
                                replace_all=replace_all, stand_ins=stand_ins)
            checks = Checks(counties=counties, replacing=kept.sources, may_be_empty=stand_ins,
                            strict=strict)
            report, after = _build(data_dir, work, checks, progress)
            progress("swapping in")
            _swap_in(work.database, target, work)
            _swap_in(work.parquet_copies, parquet_dir(target), work)
        finally:
            work.remove()
    return ImportResult(without_kept_rows(report, kept.sources),
                        table_changes(before, after, kept.notes))


def without_kept_rows(report: ValidationReport, kept: dict[str, Source]) -> ValidationReport:
    """The report's row counts of the files given, not of the tables kept."""
    labels = {source.name for source in kept.values()}
    return replace(report, rows={name: n for name, n in report.rows.items() if name not in labels})


def _build(
    data_dir: Path, work: WorkFiles, checks: Checks, progress: Progress
) -> tuple[ValidationReport, dict[str, int]]:
    con = duckdb.connect(str(work.database))
    try:
        report, sources = stage_and_validate(con, data_dir, progress=progress, checks=checks)
        if not report.ok:
            raise InvalidDataError(report)
        load_validated(con, report, sources, progress, strict=checks.strict)
        progress("writing Parquet copies")
        _export_parquet(con, list(sources), work.parquet_copies)
        counts = row_counts(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return report, counts
