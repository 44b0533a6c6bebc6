"""Secrets from files (docs/deploy.md#secrets): `DATABASE_URL_FILE`, `SECRET_KEY_FILE` and any other
`<VAR>_FILE` are read in place of the variable, so a password is in neither the environment nor a
command line; a file that cannot be read is named in a one-line refusal."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import signing

_SESSION_ONLY = frozenset({"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "DEBUG"})


def _practicehub(data_dir: Path, *arguments: str, **variables: str
                 ) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key not in _SESSION_ONLY}
    environment.update(PRACTICEHUB_DATA_DIR=str(data_dir), **variables)
    return subprocess.run([sys.executable, "-m", "practicehub.cli", *arguments], env=environment,
                          capture_output=True, text=True, check=False, timeout=300)


def _secret(path: Path, value: str) -> Path:
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def test_migrate_uses_the_database_named_in_database_url_file(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "county.sqlite3"
    elsewhere.parent.mkdir()
    url_file = _secret(tmp_path / "database_url", f"sqlite:///{elsewhere}")
    done = _practicehub(tmp_path / "data", "migrate", "--verbosity", "0",
                        DATABASE_URL_FILE=str(url_file))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(elsewhere) as database:
        tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
    assert "accounts_user" in tables
    # Not the data folder's default database.
    default = tmp_path / "data" / "practicehub.sqlite3"
    assert not default.exists() or default.stat().st_size == 0


def test_the_signing_key_comes_from_secret_key_file(tmp_path: Path) -> None:
    key = "county-signing-key-" + "Zq8mW3xR7tY1uP5sK9dF2gH6jL0cV4bN" * 2
    key_file = _secret(tmp_path / "secret_key", key)
    done = _practicehub(tmp_path / "data", "shell", "-c",
                        "from django.core import signing; print(signing.dumps('county'))",
                        SECRET_KEY_FILE=str(key_file))
    assert done.returncode == 0, done.stderr
    assert signing.loads(done.stdout.strip().splitlines()[-1], key=key) == "county"
    # No key was generated into the data folder: the file's key was used.
    assert not (tmp_path / "data" / "secret_key").exists()


def test_an_unreadable_secret_file_is_refused_naming_the_variable_and_the_file(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "nowhere" / "database_url"
    done = _practicehub(tmp_path / "data", "check", DATABASE_URL_FILE=str(missing))
    assert done.returncode == 1
    assert done.stderr.strip() == (f"practicehub: DATABASE_URL_FILE names {missing}, which "
                                   "cannot be read: No such file or directory")


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs the PostgreSQL server of CI's PostgreSQL pass (DATABASE_URL)")
def test_a_postgresql_url_with_a_password_in_database_url_file_is_connected_to(
    db: None, tmp_path: Path,
) -> None:
    from django.db import connection

    # The test database (the URL's own database need not exist: pytest-django makes test_…).
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    url = f"{base}/{connection.settings_dict['NAME']}"
    if "@" in url and ":" not in url.split("//", 1)[1].split("@", 1)[0]:
        user, rest = url.split("//", 1)[1].split("@", 1)
        url = f"{url.split('//', 1)[0]}//{user}:not-on-any-command-line@{rest}"
    url_file = _secret(tmp_path / "database_url", url)
    done = _practicehub(tmp_path / "data", "showmigrations", "accounts",
                        DATABASE_URL_FILE=str(url_file))
    assert done.returncode == 0, done.stderr
    assert "0003_user_is_demo_account" in done.stdout
    assert "not-on-any-command-line" not in done.stdout + done.stderr
