"""Restore an archive that :mod:`practicehub.core.services.backup` made, exactly, all or nothing.

The whole archive is checked (manifest, member names, sizes, SHA-256) before anything changes; a
non-empty target is refused unless told to replace it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from practicehub.core.services.backup import (
    CHUNK,
    FORMAT,
    MANIFEST,
    POSTGRES_MEMBER,
    SECRET_KEY_FILE,
    SQLITE_MEMBER,
    VERSION,
    ArchivedFile,
    BackupError,
    Installation,
    Manifest,
    Progress,
    current_installation,
    data_files,
    noop,
    postgres_table_count,
    run_pg,
)


def restore_backup(
    archive_path: Path, installation: Installation | None = None, *, force: bool = False,
    progress: Progress = noop,
) -> Manifest:
    """Restore ``archive_path`` into ``installation``, all or nothing.

    Refuses a foreign or damaged archive, a backup of the other database backend, and (unless
    ``force``) a target database or data folder that already holds data.
    """
    installation = installation or current_installation()
    with _open_archive(archive_path) as archive:
        manifest = read_manifest(archive, archive_path)
        if manifest.backend != installation.backend:
            raise BackupError(
                f"{archive_path} is a backup of a {_backend_label(manifest.backend)} database, "
                f"but this installation uses {installation.describe_database()}; restore it "
                f"where DATABASE_URL names a {_backend_label(manifest.backend)} database")
        if not force:
            _refuse_non_empty(installation)
        installation.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=installation.data_dir,
                                         prefix=".practicehub-restore-") as staging:
            progress(f"Checking {len(manifest.files)} files against their checksums")
            staged = _extract_verified(archive, archive_path, manifest, Path(staging))
            _restore_database(installation, manifest, staged, force, progress)
            _restore_data_files(installation, manifest, staged, progress)
    progress(f"Restored {archive_path} (made {manifest.created})")
    return manifest


def _backend_label(backend: str) -> str:
    return "PostgreSQL" if backend == "postgresql" else "SQLite"


@contextmanager
def _open_archive(path: Path) -> Iterator[tarfile.TarFile]:
    if not path.is_file():
        raise BackupError(f"there is no backup file at {path}")
    try:
        archive = tarfile.open(path, mode="r:")  # noqa: SIM115  (closed by the with below)
    except tarfile.TarError:
        raise BackupError(f"{path} is not a practicehub backup: it is not a tar archive "
                          "(as `practicehub backup` writes)") from None
    with archive:
        yield archive


def read_manifest(archive: tarfile.TarFile, path: Path) -> Manifest:
    """The archive's manifest, or BackupError saying why the archive is not a practicehub backup."""
    try:
        member = archive.getmember(MANIFEST)
        handle = archive.extractfile(member)
    except (KeyError, tarfile.TarError):
        handle = None
    if handle is None:
        raise BackupError(f"{path} is not a practicehub backup: it holds no {MANIFEST}")
    try:
        body = json.loads(handle.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a practicehub backup: its {MANIFEST} is not valid "
                          f"JSON ({error})") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise BackupError(f"{path} is not a practicehub backup: its {MANIFEST} does not say "
                          f'"format": "{FORMAT}"')
    return _manifest_from(body, path)


def _manifest_from(body: dict[str, Any], path: Path) -> Manifest:
    version = body.get("version")
    if version != VERSION:
        raise BackupError(f"{path} is a practicehub backup of format version {version!r}; this "
                          f"practicehub reads version {VERSION}")
    backend = body.get("backend")
    if backend not in {"sqlite", "postgresql"}:
        raise BackupError(f"{path}: {MANIFEST} names an unknown database backend {backend!r}")
    files = []
    for number, item in enumerate(body.get("files") or [], start=1):
        try:
            archived = ArchivedFile(str(item["path"]), str(item["kind"]), int(item["size"]),
                                    str(item["sha256"]))
        except (KeyError, TypeError, ValueError):
            raise BackupError(f"{path}: file entry {number} of {MANIFEST} lacks path, kind, size "
                              "or sha256") from None
        _check_member_name(archived.path, path)
        files.append(archived)
    database_members = [item for item in files if item.kind == "database"]
    expected = SQLITE_MEMBER if backend == "sqlite" else POSTGRES_MEMBER
    if [item.path for item in database_members] != [expected]:
        raise BackupError(f"{path}: {MANIFEST} does not list the database as {expected}")
    return Manifest(VERSION, str(body.get("created", "")), str(backend), tuple(files))


def _check_member_name(name: str, path: Path) -> None:
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or not parts or parts[0] not in {"data", "database"}:
        raise BackupError(f"{path}: {MANIFEST} lists {name!r}, which is outside the data folder "
                          "and the database; refusing the archive")


def _refuse_non_empty(installation: Installation) -> None:
    where = installation.describe_database()
    tables = _database_table_count(installation)
    if tables:
        raise BackupError(f"{where} is not empty (it holds {tables} tables); restore into an "
                          "empty database, or add --force to replace everything in it")
    present = [path for path in data_files(installation) if path.as_posix() != SECRET_KEY_FILE]
    if present:
        listed = ", ".join(path.as_posix() for path in present[:3])
        more = f" and {len(present) - 3} more" if len(present) > 3 else ""
        raise BackupError(f"the data folder {installation.data_dir} is not empty (it holds "
                          f"{listed}{more}); restore into an empty data folder, or add --force "
                          "to replace its files")


def _database_table_count(installation: Installation) -> int:
    if installation.backend == "postgresql":
        return postgres_table_count(installation.database)
    database = installation.sqlite_path
    if not database.is_file() or database.stat().st_size == 0:
        return 0
    with closing(sqlite3.connect(database, timeout=20)) as con:
        row = con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                          "AND name NOT LIKE 'sqlite_%'").fetchone()
    return int(row[0]) if row else 0


def _extract_verified(
    archive: tarfile.TarFile, archive_path: Path, manifest: Manifest, staging: Path
) -> dict[str, Path]:
    """Every listed member copied into ``staging``, each checked against its size and SHA-256."""
    listed = {item.path for item in manifest.files}
    unexpected = [name for name in archive.getnames() if name != MANIFEST and name not in listed]
    if unexpected:
        raise BackupError(f"{archive_path} holds {unexpected[0]}, which its {MANIFEST} does not "
                          "list; the archive was changed after the backup, nothing was restored")
    staged: dict[str, Path] = {}
    for number, item in enumerate(manifest.files):
        target = staging / f"{number:05d}"
        digest, size = _extract_one(archive, archive_path, item.path, target)
        if size != item.size or digest != item.sha256:
            raise BackupError(
                f"{archive_path} is damaged: {item.path} has {size:,} bytes and SHA-256 "
                f"{digest[:16]}…, but the manifest records {item.size:,} bytes and "
                f"{item.sha256[:16]}…; nothing was restored")
        staged[item.path] = target
    return staged


def _extract_one(
    archive: tarfile.TarFile, archive_path: Path, name: str, target: Path
) -> tuple[str, int]:
    try:
        member = archive.getmember(name)
        source = archive.extractfile(member) if member.isfile() else None
    except (KeyError, tarfile.TarError):
        source = None
    if source is None:
        raise BackupError(f"{archive_path} is damaged: {name}, listed in its {MANIFEST}, is "
                          "missing; nothing was restored")
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
    except (OSError, tarfile.TarError, EOFError):
        raise BackupError(f"{archive_path} is damaged: {name} is cut short; nothing was "
                          "restored") from None
    return digest.hexdigest(), size


def _restore_database(
    installation: Installation, manifest: Manifest, staged: dict[str, Path], force: bool,
    progress: Progress,
) -> None:
    progress(f"Database: restoring into {installation.describe_database()}")
    if installation.backend == "sqlite":
        target = installation.sqlite_path
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with closing(sqlite3.connect(staged[SQLITE_MEMBER])) as source, \
                closing(sqlite3.connect(target, timeout=20)) as live:
            source.backup(live)  # replaces every page of the target, in one step
        target.chmod(0o600)
        return
    options = ["--no-owner", "--no-password", "--exit-on-error", "--single-transaction",
               f"--dbname={installation.database['NAME']}"]
    if force:
        options[0:0] = ["--clean", "--if-exists"]
    run_pg("pg_restore", [*options, str(staged[POSTGRES_MEMBER])], installation.database)


def _restore_data_files(
    installation: Installation, manifest: Manifest, staged: dict[str, Path], progress: Progress
) -> None:
    root = installation.data_dir
    wanted = {PurePosixPath(item.path).relative_to("data").as_posix()
              for item in manifest.files if item.kind != "database"}
    for relative in data_files(installation):
        if relative.as_posix() not in wanted:  # only reached with --force: replace means replace
            (root / relative).unlink()
    for item in manifest.files:
        if item.kind == "database":
            continue
        relative = Path(*PurePosixPath(item.path).parts[1:])
        target = root / relative
        for parent in reversed(target.relative_to(root).parents[:-1]):
            (root / parent).mkdir(mode=0o700, exist_ok=True)
        os.replace(staged[item.path], target)  # readers of an old file keep reading it
        progress(f"  {relative.as_posix()}")
