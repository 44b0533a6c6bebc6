"""Back up a whole installation into one archive, and restore it exactly.

The archive is a tar file: ``manifest.json`` first (format, version, when, which database backend,
and every other member with its size and SHA-256), then ``database/…`` (a SQLite snapshot taken
with SQLite's online backup API, or a ``pg_dump --format=custom`` of the PostgreSQL database) and
``data/…`` (every file of the data folder: outcome DuckDB databases copied through DuckDB, their
Parquet copies, uploads, the secret key). Each part is a consistent copy while a server keeps
reading and writing: SQLite's backup reads one snapshot, pg_dump reads one transaction, and a DuckDB
file is read through a read-only attachment (imports write a new file and rename it into place).

A restore (:mod:`practicehub.core.services.restore`) checks the whole archive before it changes
anything, and refuses a non-empty target
unless told to replace it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import duckdb

FORMAT = "practicehub-backup"
VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/practicehub.sqlite3"
POSTGRES_MEMBER = "database/practicehub.pgdump"
# Made again by the application: collected static files and computed dashboard figures.
REBUILT_FOLDERS = frozenset({"static", "cache"})
# Written by settings on first start, so even a fresh data folder holds it; a restore replaces it.
SECRET_KEY_FILE = "secret_key"  # noqa: S105  (a file name, not a key)
CHUNK = 1 << 20

Progress = Callable[[str], None]
DatabaseSettings = dict[str, Any]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says what and where."""


@dataclass(frozen=True)
class ArchivedFile:
    path: str
    kind: str  # "database", "duckdb" or "file"
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    version: int
    created: str
    backend: str
    files: tuple[ArchivedFile, ...]

    def to_json(self) -> bytes:
        body = {"format": FORMAT, "version": self.version, "created": self.created,
                "backend": self.backend, "files": [asdict(item) for item in self.files]}
        return json.dumps(body, indent=2).encode("utf-8")


@dataclass(frozen=True)
class Installation:
    """Where an installation keeps its data: the data folder and Django's default database."""

    data_dir: Path
    database: DatabaseSettings

    @property
    def backend(self) -> str:
        return "postgresql" if "postgresql" in str(self.database["ENGINE"]) else "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return Path(str(self.database["NAME"])).resolve()

    def describe_database(self) -> str:
        if self.backend == "sqlite":
            return f"the SQLite database {self.sqlite_path}"
        host = self.database.get("HOST") or "localhost"
        return f"the PostgreSQL database {self.database['NAME']} on {host}"


def noop(_: str) -> None:
    """Progress callback that reports nothing."""


def current_installation() -> Installation:
    from django.conf import settings

    return Installation(Path(settings.DATA_DIR), dict(settings.DATABASES["default"]))


# --- which files -------------------------------------------------------------------------------


def data_files(installation: Installation) -> list[Path]:
    """Every file of the data folder a backup holds, relative to the folder, in a stable order.

    Left out: the SQLite database and its journal files (snapshotted separately), folders the
    application rebuilds, DuckDB write-ahead logs (the copy goes through DuckDB), and dot-files
    (temporary files of imports, backups and restores in progress).
    """
    root = installation.data_dir
    database = installation.sqlite_path if installation.backend == "sqlite" else None
    skipped = set()
    if database is not None:
        skipped = {database.name + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    found: list[Path] = []
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        folders[:] = sorted(
            name for name in folders
            if not name.startswith(".") and not (here == root and name in REBUILT_FOLDERS)
        )
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or name.endswith(".duckdb.wal") or not path.is_file():
                continue
            if database is not None and here == database.parent and name in skipped:
                continue
            found.append(path.relative_to(root))
    return found


# --- backup ------------------------------------------------------------------------------------


def create_backup(
    out: Path, installation: Installation | None = None, *, progress: Progress = noop
) -> Manifest:
    """Write a backup of ``installation`` (default: this one) to ``out``; return its manifest."""
    installation = installation or current_installation()
    out = out.resolve()
    if out.is_dir():
        raise BackupError(f"{out} is a folder; give the backup a file name, e.g. {out}/backup.tar")
    if not out.parent.is_dir():
        raise BackupError(f"the folder {out.parent} for the backup does not exist")
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".practicehub-backup-") as staging:
        stage = Path(staging)
        staged: list[tuple[ArchivedFile, Path]] = []
        staged.append(_stage_database(installation, stage, progress))
        for relative in data_files(installation):
            if (installation.data_dir / relative).resolve() == out:
                continue
            staged.append(_stage_data_file(installation.data_dir, relative, stage, progress))
        manifest = Manifest(VERSION, datetime.now(UTC).isoformat(timespec="seconds"),
                            installation.backend, tuple(item for item, _ in staged))
        _write_archive(out, manifest, staged)
    progress(f"Wrote {out}: {len(manifest.files)} files, {out.stat().st_size:,} bytes")
    return manifest


def _stage_database(
    installation: Installation, stage: Path, progress: Progress
) -> tuple[ArchivedFile, Path]:
    if installation.backend == "sqlite":
        source = installation.sqlite_path
        if not source.is_file():
            raise BackupError(f"there is no database to back up at {source}; run "
                              "`practicehub migrate` (or `practicehub demo`) first")
        progress(f"Database: snapshot of {source} (SQLite online backup)")
        staged = stage / "practicehub.sqlite3"
        snapshot_sqlite(source, staged)
        member = SQLITE_MEMBER
    else:
        progress(f"Database: pg_dump of {installation.describe_database()}")
        staged = stage / "practicehub.pgdump"
        run_pg("pg_dump", ["--format=custom", "--no-password", f"--file={staged}"],
                installation.database)
        member = POSTGRES_MEMBER
    return _describe(staged, member, "database"), staged


def snapshot_sqlite(source: Path, target: Path) -> None:
    """One consistent copy of a live SQLite database (committed transactions, WAL included)."""
    with closing(sqlite3.connect(source, timeout=20)) as live, \
            closing(sqlite3.connect(target)) as copy:
        live.backup(copy)  # all pages in one step: a single read snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive


def _stage_data_file(
    data_dir: Path, relative: Path, stage: Path, progress: Progress
) -> tuple[ArchivedFile, Path]:
    source = data_dir / relative
    staged = stage / "data" / relative
    staged.parent.mkdir(parents=True, exist_ok=True)
    member = f"data/{relative.as_posix()}"
    if source.suffix == ".duckdb":
        progress(f"Outcome database: {relative} (read through DuckDB)")
        copy_duckdb(source, staged)
        return _describe(staged, member, "duckdb"), staged
    shutil.copyfile(source, staged)
    return _describe(staged, member, "file"), staged


def copy_duckdb(source: Path, target: Path) -> None:
    """A consistent copy of a DuckDB database file, readable while servers hold it open."""
    with closing(duckdb.connect()) as con:
        con.execute(f"ATTACH {_sql_text(source)} AS source (READ_ONLY)")
        con.execute(f"ATTACH {_sql_text(target)} AS target")
        con.execute("COPY FROM DATABASE source TO target")
        con.execute("DETACH target")
        con.execute("DETACH source")


def _sql_text(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _describe(path: Path, member: str, kind: str) -> ArchivedFile:
    return ArchivedFile(member, kind, path.stat().st_size, _sha256_of(path))


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_archive(out: Path, manifest: Manifest, staged: list[tuple[ArchivedFile, Path]]) -> None:
    """Write the tar beside ``out`` and rename it into place: never a half-written backup."""
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    # The archive holds every record and the secret key: readable by its owner only.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as archive:
            body = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(body), 0o600, int(datetime.now(UTC).timestamp())
            archive.addfile(info, _bytes_reader(body))
            for item, path in staged:
                archive.add(path, arcname=item.path, recursive=False, filter=_private)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def _private(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def _bytes_reader(body: bytes) -> IO[bytes]:
    return io.BytesIO(body)


# --- PostgreSQL tools --------------------------------------------------------------------------


def postgres_tool(name: str) -> Path:
    """``pg_dump``/``pg_restore`` from PRACTICEHUB_PG_BIN_DIR, the newest Debian install or PATH."""
    from django.conf import settings

    configured = str(getattr(settings, "PG_BIN_DIR", ""))
    candidates = [Path(configured) / name] if configured else []
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                       key=lambda path: _major(path.parent.parent.name), reverse=True)
    candidates.extend(installed)
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(f"{name} is not installed: install PostgreSQL's client programs, or set "
                      "PRACTICEHUB_PG_BIN_DIR to the folder that holds them")


def _major(name: str) -> int:
    return int(name) if name.isdigit() else 0


def _postgres_environment(database: DatabaseSettings) -> dict[str, str]:
    environment = dict(os.environ)
    values = {"PGHOST": database.get("HOST"), "PGPORT": database.get("PORT"),
              "PGUSER": database.get("USER"), "PGPASSWORD": database.get("PASSWORD"),
              "PGDATABASE": database.get("NAME"),
              "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode")}
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def run_pg(tool: str, arguments: list[str], database: DatabaseSettings) -> None:
    # The password travels in the environment, never on the command line.
    command = [str(postgres_tool(tool)), *arguments]
    result = subprocess.run(command, env=_postgres_environment(database),  # noqa: S603
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed for the PostgreSQL database {database['NAME']}: "
                          f"{result.stderr.strip() or result.stdout.strip()}")


def postgres_table_count(database: DatabaseSettings) -> int:
    import psycopg
    from psycopg.conninfo import make_conninfo

    environment = _postgres_environment(database)
    keys = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password",
            "PGDATABASE": "dbname", "PGSSLMODE": "sslmode"}
    params = {keys[key]: environment[key] for key in keys if key in environment}
    with psycopg.connect(make_conninfo("", **params)) as con:
        row = con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    return int(row[0]) if row else 0
