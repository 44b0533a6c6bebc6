"""Outcome data in PostgreSQL: the same tables as the DuckDB file, for a state's own database.

``import_into`` loads data that DuckDB has validated (``store.load_directory``) into a schema:
contract tables by COPY, then the fact tables built by PostgreSQL itself from the same Ibis
expressions (``facts.create_statements``). Nothing is partial: everything, from creating a loading
schema to dropping the old schema and renaming the new one in its place, is one transaction, so
readers see the old tables or the new ones and a failure leaves the old ones. ``runner`` opens
a schema for ``engine.compute``.

Every import writes a new ``version`` into the schema's ``practicehub_import`` table (in the same
transaction), which keys the cached figures of the pages and the API as the file's identity
does for a DuckDB file; ``open_reader`` and ``stored_version`` are what the web app reads with.

``import_directory`` is the command's import: the earlier schema's row counts, its tables the new
data do not hold (kept unless ``replace_all``, :mod:`keep`), validation in DuckDB with the same
checks as a DuckDB import, then ``import_into``.

A URL names the database and, with ``?schema=NAME``, the schema (default ``outcomes``):
``postgresql://user:secret@host:5432/warehouse?schema=outcomes``; its other parameters
(``sslmode=verify-full``, …) go to the connection.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit, urlunsplit

import ibis
import psycopg

from practicehub.core.errors import Unavailable
from practicehub.outcomes.data import quality, store
from practicehub.outcomes.data.keep import ImportResult, keep_earlier, kept_label, table_changes
from practicehub.outcomes.data.sources import Source
from practicehub.outcomes.data.store import DuckDBData, OutcomeData, OutdatedDatabaseError
from practicehub.outcomes.data.validation import Checks, ValidationReport
from practicehub.outcomes.data.workfiles import stop_on_terminate
from practicehub.outcomes.engine import contract, facts, marks
from practicehub.outcomes.engine.computing import IbisRunner
from practicehub.outcomes.engine.counties import KnownCounties
from practicehub.outcomes.engine.tables import ContractTables, ibis_schema

DEFAULT_SCHEMA = "outcomes"
IMPORT_TABLE = "practicehub_import"  # one row: the import's version, and when it was made
_SCHEMES = ("postgres://", "postgresql://")


def is_postgres_url(text: str | Path) -> bool:
    return str(text).startswith(_SCHEMES)


def split_url(url: str) -> tuple[str, str]:
    """``(url without the schema parameter, schema)``."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    schema = query.pop("schema", [DEFAULT_SCHEMA])[0]
    if not schema.replace("_", "").isalnum():
        raise ValueError(f"schema {schema!r}: use letters, digits and underscores only")
    rest = "&".join(f"{key}={value}" for key, values in query.items() for value in values)
    return urlunsplit(parts._replace(query=rest)), schema


def connect(url: str, schema: str) -> Any:
    """An Ibis PostgreSQL backend whose unqualified table names resolve in ``schema``."""
    parts = urlsplit(url)
    return ibis.postgres.connect(
        host=parts.hostname or None, port=parts.port or 5432, user=parts.username or None,
        password=parts.password or None, database=parts.path.lstrip("/") or None, schema=schema,
        **dict(parse_qsl(parts.query)),
    )


def _column_type(dtype: Any) -> str:
    if dtype.is_date():
        return "date"
    return "bigint" if dtype.is_integer() else "text"


def _loaded_tables(data: DuckDBData) -> list[tuple[str, str]]:
    """(table, PostgreSQL column definitions) of every table to copy: the contract tables, the
    rows set aside by the data-quality checks, the report and the flagged rows (§1a)."""
    present = {str(row[0]) for row in data.con.execute("SHOW TABLES").fetchall()}
    tables = []
    for spec in contract.TABLES:
        columns = ", ".join(f'"{name}" {_column_type(dtype)}'
                            for name, dtype in ibis_schema(spec).items())
        for name in (spec.name, contract.SET_ASIDE_PREFIX + spec.name):
            if name in present:
                tables.append((name, columns))
    for name in (marks.REPORT_TABLE, quality.FLAGS_TABLE):
        if name in present:
            described = data.con.execute(f"DESCRIBE {name}").fetchall()
            tables.append((name, ", ".join(f'"{row[0]}" {_PG_TYPES[str(row[1])]}'
                                           for row in described)))
    return tables


_PG_TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "DOUBLE": "double precision",
             "BOOLEAN": "boolean", "INTEGER": "bigint", "DATE": "date"}


def _copy_table(data: DuckDBData, cursor: Any, schema: str, table: str, folder: Path) -> None:
    """DuckDB's typed table to CSV, then COPY into PostgreSQL (NULL is an unquoted empty field)."""
    path = folder / f"{table}.csv"
    data.con.execute(f"COPY {table} TO '{path}' (FORMAT csv, HEADER true)")
    with cursor.copy(f"COPY {schema}.{table} FROM STDIN (FORMAT csv, HEADER true)") as copy, \
            path.open("rb") as source:
        while block := source.read(1 << 20):
            copy.write(block)
    path.unlink()


def load_tables(data: DuckDBData, backend: Any, schema: str) -> None:
    """Contract tables of ``data`` into the existing, empty ``schema``, then the fact tables,
    then a new version in ``IMPORT_TABLE``."""
    with tempfile.TemporaryDirectory(prefix="practicehub-pg-") as folder, \
            backend.con.transaction(), backend.con.cursor() as cursor:
        for table, columns in _loaded_tables(data):
            cursor.execute(f"CREATE TABLE {schema}.{table} ({columns})")
            _copy_table(data, cursor, schema, table, Path(folder))
        cursor.execute(f"SET LOCAL search_path TO {schema}")
        for _, statement in facts.create_statements(ContractTables.unbound(), "postgres"):
            cursor.execute(statement)
        cursor.execute(f"CREATE TABLE {schema}.{IMPORT_TABLE} "
                       "(version text NOT NULL, imported_at timestamptz NOT NULL)")
        cursor.execute(f"INSERT INTO {schema}.{IMPORT_TABLE} VALUES (%s, now())",  # noqa: S608
                       (uuid.uuid4().hex,))


def import_into(data: DuckDBData, url: str) -> str:
    """Replace the outcome tables of the URL's schema with ``data``; returns the schema."""
    address, schema = split_url(url)
    staging = f"{schema}_load_{uuid.uuid4().hex[:12]}"
    backend = connect(address, staging)
    try:
        with backend.con.transaction(), backend.con.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {staging}")
            load_tables(data, backend, staging)
            _swap_schema(cursor, staging, schema)
    finally:
        backend.disconnect()
    return schema


def _swap_schema(cursor: Any, staging: str, schema: str) -> None:
    """Inside the loading transaction: the old schema out, the loaded one in its place."""
    if _has_schema(cursor, schema):
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    cursor.execute(f"ALTER SCHEMA {staging} RENAME TO {schema}")


def _has_schema(cursor: Any, schema: str) -> bool:
    cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", (schema,))
    return cursor.fetchone() is not None


def stored_counts(backend: Any, schema: str) -> dict[str, int]:
    """Rows of each contract table in ``schema`` (none when the schema does not exist)."""
    counts: dict[str, int] = {}
    with backend.con.cursor() as cursor:
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
                       (schema,))
        present = {str(row[0]) for row in cursor.fetchall()}
        for spec in contract.TABLES:
            for name in (spec.name, contract.SET_ASIDE_PREFIX + spec.name):
                if spec.name in present and name in present:
                    cursor.execute(f"SELECT count(*) FROM {schema}.{name}")  # noqa: S608
                    row = cursor.fetchone()
                    counts[spec.name] = counts.get(spec.name, 0) + (int(row[0]) if row else 0)
    return counts


def _export_query(schema: str, table: str, *, set_aside: bool) -> str:
    """A stored table's contract columns as the text a CSV file holds (dates YYYY-MM-DD), with
    the rows the data-quality checks set aside when ``set_aside``."""
    spec = contract.TABLES_BY_NAME[table]
    columns = ", ".join(
        f"to_char(\"{column.name}\", 'YYYY-MM-DD') AS \"{column.name}\""
        if column.kind == "date" else f'"{column.name}"'
        for column in spec.columns
    )
    order = f" ORDER BY {contract.PLACEMENT_ORDER_COLUMN}" if table == "placements" else ""
    aside = f"{schema}.{contract.SET_ASIDE_PREFIX}{table}"
    union = f" UNION ALL SELECT * FROM {aside}" if set_aside else ""  # noqa: S608
    rows = f"(SELECT * FROM {schema}.{table}{union}) AS stored"  # noqa: S608
    return f"SELECT {columns} FROM {rows}{order}"  # noqa: S608


def _exporter(backend: Any, schema: str) -> Any:
    def export(table: str, folder: Path) -> Source:
        path = folder / f"{table}.csv"
        with backend.con.cursor() as cursor:
            cursor.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s "
                           "AND table_name = %s", (schema, contract.SET_ASIDE_PREFIX + table))
            set_aside = cursor.fetchone() is not None
        query = _export_query(schema, table, set_aside=set_aside)
        with backend.con.cursor() as cursor, path.open("wb") as target, \
                cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER true)") as copy:
            for block in copy:
                target.write(block)
        return Source(table, path, "csv", label=kept_label(table))

    return export


def import_directory(
    data_dir: Path, url: str, *, replace_all: bool = False,
    counties: KnownCounties | None = None, strict: bool = False,
) -> tuple[ImportResult, str]:
    """Validate ``data_dir`` as a DuckDB import would (keeping the tables it does not hold from
    the schema, unless ``replace_all``) and replace the URL's schema with it; returns the result
    and the schema. Raises ``store.InvalidDataError`` and changes nothing when it is invalid."""
    address, schema = split_url(url)
    with stop_on_terminate(), tempfile.TemporaryDirectory(prefix="practicehub-pg-") as folder:
        backend = connect(address, schema)
        try:
            before = stored_counts(backend, schema)
            kept = keep_earlier(data_dir, before, _exporter(backend, schema),
                                Path(folder) / "kept", replace_all=replace_all)
        finally:
            backend.disconnect()
        data = store.load_directory(data_dir, checks=Checks(counties=counties,
                                                            replacing=kept.sources,
                                                            strict=strict))
        try:
            after = store.row_counts(data.con)
            import_into(data, url)
        finally:
            data.close()
    report = store.without_kept_rows(data.report, kept.sources)
    return ImportResult(report, table_changes(before, after, kept.notes)), schema


def runner(url: str) -> IbisRunner:
    """A runner for ``engine.compute`` over the URL's schema."""
    address, schema = split_url(url)
    return IbisRunner(connect(address, schema))


# ----------------------------------------------------------------------------- reading


@dataclass
class PostgresData(OutcomeData):
    """The outcome tables of a schema, through a connection whose search path is that schema."""

    con: psycopg.Connection[Any]
    report: ValidationReport
    dialect: str = "postgres"
    version: str = ""

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        with self.con.cursor() as cursor:
            cursor.execute(sql)  # no parameters: a % in the SQL stays as it is
            names = [column.name for column in cursor.description or ()]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self.con.close()


class UnreachableDatabaseError(Unavailable):
    """The outcome database does not answer (down, refusing connections, or dropped the
    connection): the pages and the API answer 503 naming the server, never its password."""

    HEADING = "Outcome data cannot be reached"


def unreachable(url: str, error: psycopg.OperationalError) -> UnreachableDatabaseError:
    """The error for ``url`` not answering, naming host, port, database and schema (no
    password), the server's reason (the end of the connection error's first line, after the
    address it repeats) and its hint if it gives one."""
    address, schema = split_url(url)
    parts = urlsplit(address)
    where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}/{parts.path.lstrip('/')}"
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    reason = (lines[0].rsplit(" failed: ", 1)[-1] if lines else "no answer").rstrip(".")
    hint = " ".join(lines[1:])
    return UnreachableDatabaseError(
        f"The outcome database {where} (schema {schema}) does not answer: {reason}."
        f"{' ' + hint if hint else ''} The outcome pages and API work again once it answers; "
        "check that the server runs and that OUTCOMES_DATABASE_URL names it.")


def open_reader(url: str) -> psycopg.Connection[Any]:
    """A read-only connection to the URL's database whose unqualified table names resolve in
    its schema (autocommit: each query sees the latest import, and no transaction stays open to
    hold up the next import's swap). ``UnreachableDatabaseError`` when the server does not
    answer."""
    address, schema = split_url(url)
    try:
        con = psycopg.connect(address, autocommit=True, prepare_threshold=None, connect_timeout=5)
    except psycopg.OperationalError as error:
        raise unreachable(url, error) from error
    try:
        con.execute("SELECT set_config('search_path', %s, false), "
                    "set_config('default_transaction_read_only', 'on', false), "
                    "set_config('TimeZone', 'UTC', false)", (schema,))
    except BaseException:
        con.close()
        raise
    return con


def stored_version(con: psycopg.Connection[Any], schema: str) -> str | None:
    """The version of the import in ``schema``; None when nothing was imported there (no such
    schema, or no tables in it). A schema imported by an older practicehub, which wrote no
    version, raises OutdatedDatabaseError (the pages and the API answer 503)."""
    try:
        row = con.execute(f"SELECT version FROM {schema}.{IMPORT_TABLE}").fetchone()  # noqa: S608
    except psycopg.errors.UndefinedTable:
        row = None
    if row is not None:
        return f"postgres:{schema}:{row[0]}"
    tables = con.execute("SELECT count(*) FROM information_schema.tables "
                         "WHERE table_schema = %s", (schema,)).fetchone()
    if not tables or not tables[0]:
        return None
    raise OutdatedDatabaseError.lacking(f"the PostgreSQL schema {schema}",
                                        f"the table {IMPORT_TABLE} (the import's version)")


def check_facts(con: psycopg.Connection[Any], schema: str) -> None:
    """Raise OutdatedDatabaseError when a fact table this version reads is missing."""
    columns: Iterable[tuple[str, str]] = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s",
        (schema,)).fetchall()
    if missing := store.facts_missing(columns):
        raise OutdatedDatabaseError.lacking_facts(f"the PostgreSQL schema {schema}", missing)
