"""`practicehub backup` while the server writes, then `practicehub restore` elsewhere: identical.

Each step runs as its own process against a data folder (and, on PostgreSQL, a database) of its
own, as an operator would run it: one process populates, one keeps writing, one backs up, one
restores into a fresh folder. The test then compares every table, row by row.
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.conf import settings

from practicehub.core.services import backup

REPO = Path(__file__).resolve().parents[2]  # where ``python -m tests.core.backup_world`` runs
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
# Changed by the writer while the backup runs; every other table must not change at all.
WRITTEN = ("audit_auditevent", "accounts_user")
Rows = dict[str, list[tuple[Any, ...]]]


def _environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    environment = {**os.environ, "PRACTICEHUB_DATA_DIR": str(data_dir),
                   "DJANGO_SETTINGS_MODULE": "practicehub.settings"}
    environment.pop("DATABASE_URL", None)
    if database_url:
        environment["DATABASE_URL"] = database_url
    return environment


def _practicehub(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "practicehub.cli", *arguments]
    return subprocess.run(command, env=environment, capture_output=True, text=True,
                          check=False, timeout=600)


def _world(environment: dict[str, str], step: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.core.backup_world", step]
    return subprocess.Popen(command, env=environment, text=True, cwd=REPO)


# --- reading every table -----------------------------------------------------------------------


def sqlite_rows(path: Path) -> Rows:
    with sqlite3.connect(path) as con:
        tables = [name for (name,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {table: sorted(con.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)  # noqa: S608
                for table in sorted(tables)}


def sqlite_schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as con:
        return sorted(con.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master"))


def duckdb_rows(path: Path) -> Rows:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
        return {table: sorted(con.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)  # noqa: S608
                for table in tables}


def postgres_rows(url: str) -> Rows:
    import psycopg

    with psycopg.connect(url) as con:
        tables = [name for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]
        return {table: sorted(con.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)  # noqa: S608
                for table in tables}


def _assert_a_consistent_moment(source: Rows, snapshot: Rows) -> None:
    """The snapshot is the source at one moment: the writer's tables hold a prefix of its rows."""
    assert source.keys() == snapshot.keys()
    for table in source:
        if table in WRITTEN:
            newest = max(row[0] for row in snapshot[table])
            assert snapshot[table] == sorted(
                (row for row in source[table] if row[0] <= newest), key=repr), table
        else:
            assert snapshot[table] == source[table], table


# --- SQLite ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if ON_POSTGRES:
        pytest.skip("the SQLite installation is tested when the suite runs on SQLite")
    data_dir = tmp_path_factory.mktemp("live")
    assert _world(_environment(data_dir, None), "populate").wait(timeout=600) == 0
    return data_dir


@pytest.fixture(scope="module")
def archive(installation: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup taken while another process keeps writing audit events and people."""
    out = tmp_path_factory.mktemp("backups") / "practicehub.tar"
    environment = _environment(installation, None)
    database = installation / "practicehub.sqlite3"
    before = _count(database, "audit_auditevent")
    writer = _world(environment, "write")
    try:
        while _count(database, "audit_auditevent") < before + 20:
            time.sleep(0.1)
        started = _count(database, "audit_auditevent")
        result = _practicehub(environment, "backup", "--out", str(out))
        assert result.returncode == 0, result.stderr
        snapshot = _snapshot(out, tmp_path_factory.mktemp("snapshot"))
        # Writes went on while the backup ran, before and after its snapshot.
        assert started < _count(snapshot, "audit_auditevent")
        assert _count(snapshot, "audit_auditevent") < _count(database, "audit_auditevent")
    finally:
        writer.terminate()
        writer.wait(timeout=30)
    return out


def _count(database: Path, table: str) -> int:
    with sqlite3.connect(database, timeout=20) as con:
        return int(con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])  # noqa: S608


def _tables(database: Path) -> int:
    """Tables in a SQLite file (starting the command may create the empty file)."""
    if not database.exists():
        return 0
    with sqlite3.connect(database) as con:
        return int(con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
                   .fetchone()[0])


def _snapshot(archive_path: Path, folder: Path) -> Path:
    with tarfile.open(archive_path) as tar:
        tar.extract(backup.SQLITE_MEMBER, folder, filter="data")
        tar.extract("data/outcomes/outcomes.duckdb", folder, filter="data")
    return folder / backup.SQLITE_MEMBER


def test_a_backup_taken_while_the_server_writes_restores_every_table_identically(
    installation: Path, archive: Path, tmp_path: Path,
) -> None:
    fresh = tmp_path / "fresh"
    result = _practicehub(_environment(fresh, None), "restore", str(archive))
    assert result.returncode == 0, result.stderr
    assert "Restore complete" in result.stdout

    snapshot = _snapshot(archive, tmp_path / "snapshot")
    restored = fresh / "practicehub.sqlite3"
    assert sqlite_rows(restored) == sqlite_rows(snapshot)
    assert sqlite_schema(restored) == sqlite_schema(snapshot)
    _assert_a_consistent_moment(sqlite_rows(installation / "practicehub.sqlite3"),
                                sqlite_rows(restored))
    counts = {table: len(rows) for table, rows in sqlite_rows(restored).items()}
    assert counts["fidelity_observation"] == 3
    assert counts["practice_model_behavior"] > 0
    assert counts["audit_auditevent"] > 50

    outcomes = Path("outcomes/outcomes.duckdb")
    assert duckdb_rows(fresh / outcomes) == duckdb_rows(installation / outcomes)
    assert len(duckdb_rows(fresh / outcomes)["episodes"]) == 2000
    for same in ("secret_key", "uploads/observations.csv",
                 "outcomes/outcomes_parquet/episodes.parquet"):
        assert (fresh / same).read_bytes() == (installation / same).read_bytes(), same


def test_the_restored_audit_trail_still_refuses_a_raw_delete(
    archive: Path, tmp_path: Path,
) -> None:
    assert _practicehub(_environment(tmp_path, None), "restore", str(archive)).returncode == 0
    with sqlite3.connect(tmp_path / "practicehub.sqlite3") as con, \
            pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_auditevent")


def test_a_restore_refuses_a_database_that_holds_data_and_changes_nothing(
    installation: Path, archive: Path,
) -> None:
    database = installation / "practicehub.sqlite3"
    before = sqlite_rows(database)
    result = _practicehub(_environment(installation, None), "restore", str(archive))
    assert result.returncode == 1
    assert f"the SQLite database {database} is not empty" in result.stderr
    assert "--force" in result.stderr
    assert sqlite_rows(database) == before


def test_a_restore_refuses_a_data_folder_that_holds_files(archive: Path, tmp_path: Path) -> None:
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "mine.csv").write_text("kept\n")
    result = _practicehub(_environment(tmp_path, None), "restore", str(archive))
    assert result.returncode == 1
    assert f"the data folder {tmp_path} is not empty (it holds uploads/mine.csv)" in result.stderr
    assert (tmp_path / "uploads" / "mine.csv").read_text() == "kept\n"
    assert not (tmp_path / "outcomes").exists()


def test_a_forced_restore_replaces_the_database_and_the_data_folder(
    archive: Path, tmp_path: Path,
) -> None:
    target = tmp_path / "target"
    assert _practicehub(_environment(target, None), "migrate").returncode == 0
    (target / "uploads").mkdir()
    (target / "uploads" / "stale.csv").write_text("from before\n")
    result = _practicehub(_environment(target, None), "restore", "--force", str(archive))
    assert result.returncode == 0, result.stderr
    snapshot = _snapshot(archive, tmp_path / "snapshot")
    assert sqlite_rows(target / "practicehub.sqlite3") == sqlite_rows(snapshot)
    assert not (target / "uploads" / "stale.csv").exists()
    assert (target / "uploads" / "observations.csv").exists()


def _rewrite(archive_path: Path, out: Path, change: str, body: bytes | None) -> Path:
    """A copy of the archive with member ``change`` replaced by ``body`` (or left out)."""
    with tarfile.open(archive_path) as source, tarfile.open(out, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == change:
                if body is None:
                    continue
                member.size = len(body)
                target.addfile(member, io.BytesIO(body))
            else:
                target.addfile(member, data)
    return out


def test_a_damaged_archive_is_refused_before_anything_is_restored(
    archive: Path, tmp_path: Path,
) -> None:
    with tarfile.open(archive) as tar:
        member = tar.extractfile("data/uploads/observations.csv")
        assert member is not None
        original = member.read()
    damaged = _rewrite(archive, tmp_path / "damaged.tar", "data/uploads/observations.csv",
                       original.replace(b"fresno.coach", b"fresno.cOach"))
    fresh = tmp_path / "fresh"
    result = _practicehub(_environment(fresh, None), "restore", str(damaged))
    assert result.returncode == 1
    assert f"{damaged} is damaged: data/uploads/observations.csv has" in result.stderr
    assert "nothing was restored" in result.stderr
    assert _tables(fresh / "practicehub.sqlite3") == 0
    assert not (fresh / "uploads").exists()

    missing = _rewrite(archive, tmp_path / "missing.tar", "data/secret_key", None)
    result = _practicehub(_environment(fresh, None), "restore", str(missing))
    assert "data/secret_key, listed in its manifest.json, is missing" in result.stderr


def test_a_file_that_is_not_a_practicehub_backup_is_refused(tmp_path: Path) -> None:
    csv = tmp_path / "placements.csv"
    csv.write_text("episode_id,start_date\nE1,2023-01-01\n")
    foreign = tmp_path / "photos.tar"
    with tarfile.open(foreign, "w") as tar:
        tar.add(csv, arcname="placements.csv")
    fresh = tmp_path / "fresh"
    for path, says in ((csv, "it is not a tar archive"),
                       (foreign, "it holds no manifest.json"),
                       (tmp_path / "absent.tar", "there is no backup file at")):
        result = _practicehub(_environment(fresh, None), "restore", str(path))
        assert result.returncode == 1
        assert says in result.stderr, result.stderr
        assert _tables(fresh / "practicehub.sqlite3") == 0


# --- PostgreSQL --------------------------------------------------------------------------------


def _postgres_url(name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, str]]:
    if not ON_POSTGRES:
        pytest.skip("PostgreSQL backups are tested when the suite runs on PostgreSQL")
    try:
        backup.postgres_tool("pg_dump")
        backup.postgres_tool("pg_restore")
    except backup.BackupError as missing:
        pytest.skip(str(missing))
    import psycopg

    names = [f"practicehub_backup_{role}_{uuid.uuid4().hex[:8]}" for role in ("live", "fresh")]
    with psycopg.connect(_postgres_url("postgres"), autocommit=True) as con:
        for name in names:
            con.execute(f'CREATE DATABASE "{name}"')
    yield _postgres_url(names[0]), _postgres_url(names[1])
    with psycopg.connect(_postgres_url("postgres"), autocommit=True) as con:
        for name in names:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_postgresql_backup_taken_while_the_server_writes_restores_every_table_identically(
    postgres_databases: tuple[str, str], tmp_path: Path,
) -> None:
    import psycopg

    live_url, fresh_url = postgres_databases
    live = _environment(tmp_path / "live", live_url)
    assert _world(live, "populate").wait(timeout=600) == 0

    def audit_count() -> int:
        with psycopg.connect(live_url) as con:
            row = con.execute("SELECT count(*) FROM audit_auditevent").fetchone()
        return int(row[0]) if row else 0

    out = tmp_path / "practicehub.tar"
    before = audit_count()
    writer = _world(live, "write")
    try:
        while audit_count() < before + 20:
            time.sleep(0.1)
        result = _practicehub(live, "backup", "--out", str(out))
        assert result.returncode == 0, result.stderr
    finally:
        writer.terminate()
        writer.wait(timeout=30)
    assert audit_count() > before + 20

    refused = _practicehub(live, "restore", str(out))
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr

    fresh = _environment(tmp_path / "fresh", fresh_url)
    result = _practicehub(fresh, "restore", str(out))
    assert result.returncode == 0, result.stderr
    restored = postgres_rows(fresh_url)
    _assert_a_consistent_moment(postgres_rows(live_url), restored)
    assert len(restored["fidelity_observation"]) == 3
    assert len(restored["audit_auditevent"]) > before

    outcomes = Path("outcomes/outcomes.duckdb")
    assert duckdb_rows(tmp_path / "fresh" / outcomes) == duckdb_rows(tmp_path / "live" / outcomes)
    with psycopg.connect(fresh_url) as con, pytest.raises(psycopg.Error, match="append-only"):
        con.execute("DELETE FROM audit_auditevent")
