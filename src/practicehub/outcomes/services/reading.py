"""One read-only DuckDB connection per server process, shared by its requests and threads.

Opening the imported file and checking its fact tables costs about 0.15 s, so a process opens it
once and every request reads through a cursor of its own (``con.cursor()``: DuckDB connections
are not shared across threads, their cursors are). An import writes a new file and renames it
in; the next request sees another file identity (inode, modification time, size) and opens that
one. The file is attached to a fresh in-memory DuckDB rather than opened with
``duckdb.connect(path)``, because DuckDB hands a second ``connect`` of the same path the database
already open in the process, which would go on answering from the replaced file.

A replaced connection is closed only after ``RETIRE_SECONDS`` (longer than any request may run),
as requests that started before the import may still be reading through its cursors.

A PostgreSQL schema (``OUTCOMES_DATABASE_URL``) is read through one connection per server thread,
kept between requests as Django keeps its own (connecting costs milliseconds, more over TLS).
Each request first reads the import's version (``postgres_store.stored_version``, one query);
the fact tables are checked once per version and process.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import psycopg

from practicehub.core.services.kept import kept
from practicehub.outcomes.data import postgres_store, store
from practicehub.outcomes.data.validation import ValidationReport

CATALOG = "outcomes"
RETIRE_SECONDS = 15 * 60
KEPT_PATHS = 2  # a server reads one file; tests read many, each in a folder of its own
CACHE_SECONDS = 24 * 3600
KEPT_RETIRED = 8  # past this, the oldest replaced connection is closed at once


Location = Path | str  # an imported DuckDB file, or a PostgreSQL URL (postgres_store)


@dataclass
class SharedData(store.DuckDBData):
    """The outcome data for one request: a cursor of the process's shared connection, and the
    ``version`` of the file it reads (part of every cache key)."""

    def close(self) -> None:
        self.con.close()  # the cursor only; the shared connection stays open


@dataclass
class SharedPostgres(postgres_store.PostgresData):
    """A schema's outcome data for one request, through this thread's kept connection."""

    def close(self) -> None:
        """The connection stays open for the thread's next request."""


@dataclass
class _Opened:
    identity: tuple[int, int, int, int]
    con: duckdb.DuckDBPyConnection
    version: str


@dataclass
class _Shared:
    lock: threading.Lock = field(default_factory=threading.Lock)
    by_path: dict[Path, _Opened] = field(default_factory=dict)
    retired: list[tuple[float, duckdb.DuckDBPyConnection]] = field(default_factory=list)
    pid: int = 0


_SHARED = _Shared()
def _identity(stat: os.stat_result) -> tuple[int, int, int, int]:
    return (stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)


def version_of(path: Path, stat: os.stat_result) -> str:
    """The cache version of an imported file: changes whenever an import replaces it."""
    return f"{path}:{stat.st_mtime_ns}:{stat.st_size}"


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    try:
        quoted = str(path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS {CATALOG} (READ_ONLY)")
        con.execute(f"USE {CATALOG}")
        if missing := store.missing_fact_tables(con):
            raise store.OutdatedDatabaseError.lacking_facts(str(path), missing)
    except BaseException:
        con.close()
        raise
    return con


def _retire(con: duckdb.DuckDBPyConnection, now: float) -> None:
    _SHARED.retired.append((now, con))
    keep = []
    for n, (since, old) in enumerate(_SHARED.retired):
        if now - since >= RETIRE_SECONDS or n < len(_SHARED.retired) - KEPT_RETIRED:
            old.close()
        else:
            keep.append((since, old))
    _SHARED.retired = keep


def read(location: Location) -> store.OutcomeData | None:
    """The imported data at ``location`` (a DuckDB file, or a PostgreSQL URL) for one request,
    or None when nothing has been imported there. Close it after use. Data imported by an older
    practicehub raise ``store.OutdatedDatabaseError``."""
    if isinstance(location, str) and postgres_store.is_postgres_url(location):
        return read_postgres(location)
    return read_file(Path(location))


def read_file(path: Path) -> SharedData | None:
    """The imported data at ``path`` through a cursor of this process's connection (opened or
    reopened as needed), or None when nothing has been imported there. Close it after use."""
    # Stat before opening: should an import swap the file in between, newer data would be
    # read under the older version (soon unused), never older data under the newer one.
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    identity = _identity(stat)
    with _SHARED.lock:
        if _SHARED.pid != os.getpid():  # a forked child never uses its parent's connections
            _SHARED.by_path, _SHARED.retired, _SHARED.pid = {}, [], os.getpid()
        opened = _SHARED.by_path.get(path)
        if opened is None or opened.identity != identity:
            now = time.monotonic()
            if opened is not None:
                _retire(_SHARED.by_path.pop(path).con, now)
            while len(_SHARED.by_path) >= KEPT_PATHS:
                _retire(_SHARED.by_path.pop(next(iter(_SHARED.by_path))).con, now)
            opened = _Opened(identity, _open(path), version_of(path, stat))
            _SHARED.by_path[path] = opened
        cursor = opened.con.cursor()
    cursor.execute(f"USE {CATALOG}")
    return SharedData(cursor, ValidationReport(), version=opened.version)


class _Readers(threading.local):
    def __init__(self) -> None:
        self.pid = os.getpid()
        self.by_url: dict[str, psycopg.Connection[Any]] = {}


_READERS = _Readers()
_CHECKED: set[str] = set()  # versions whose fact tables this process has checked


def _reader(url: str, *, fresh: bool = False) -> psycopg.Connection[Any]:
    if _READERS.pid != os.getpid():  # a forked child never uses its parent's connections
        _READERS.by_url, _READERS.pid = {}, os.getpid()
    con = _READERS.by_url.get(url)
    if fresh or con is None or con.closed:
        if con is not None:
            con.close()
        con = _READERS.by_url[url] = postgres_store.open_reader(url)
    return con


def read_postgres(url: str) -> SharedPostgres | None:
    """The schema's imported data through this thread's connection to it (reconnecting once
    when the server closed the kept one), or None when nothing has been imported there;
    ``UnreachableDatabaseError`` (503) when the server does not answer."""
    _, schema = postgres_store.split_url(url)
    con = _reader(url)
    try:
        version = postgres_store.stored_version(con, schema)
    except psycopg.OperationalError:  # e.g. the server restarted since the last request
        con = _reader(url, fresh=True)
        try:
            version = postgres_store.stored_version(con, schema)
        except psycopg.OperationalError as error:
            raise postgres_store.unreachable(url, error) from error
    if version is None:
        return None
    if version not in _CHECKED:
        postgres_store.check_facts(con, schema)
        _CHECKED.add(version)
    return SharedPostgres(con, ValidationReport(), version=version)


def close_readers() -> None:
    """Close this thread's PostgreSQL connections now (a test, before its database is dropped)."""
    for con in _READERS.by_url.values():
        con.close()
    _READERS.by_url = {}


def forget(path: Path) -> None:
    """Drop this process's connection to ``path`` now (before removing or replacing the file
    in the same process, e.g. in tests)."""
    with _SHARED.lock:
        opened = _SHARED.by_path.pop(path, None)
        if opened is not None:
            _retire(opened.con, time.monotonic())


def cached[T](version: str, parts: Sequence[object], build: Callable[[], T]) -> T:
    """``build()``, kept in the shared cache under the data's ``version`` and ``parts`` (the
    page or route, scope and parameters), so every process answers it from the cache."""
    key = "outcomes-dash:" + hashlib.sha256(repr((version, *parts)).encode()).hexdigest()
    return kept(key, CACHE_SECONDS, build)
