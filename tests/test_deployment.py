"""A production configuration as docs/configuration.md documents it passes `check --deploy`, and a
new data folder is readable by the server's account only."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

# The production variables of docs/configuration.md#production, as an operator would set them.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-key-" + "k7Qx9vLm2Rt8Wp4Zs6Yb3Nc5Hd1Fg0Ja" * 2,
    "ALLOWED_HOSTS": "practicehub.county.example",
    "CSRF_TRUSTED_ORIGINS": "https://practicehub.county.example",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "TRUST_X_FORWARDED_PROTO": "true",
}


_SESSION_ONLY = frozenset({"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"})


def _practicehub(data_dir: Path, *arguments: str, **variables: str
                 ) -> subprocess.CompletedProcess[str]:
    # A fresh install as the docs describe it: its own SQLite file in the data folder, and none
    # of the test session's own settings (the browser tests allow async-unsafe calls).
    environment = {key: value for key, value in os.environ.items()
                   if key not in PRODUCTION and key not in _SESSION_ONLY}
    environment.update(PRACTICEHUB_DATA_DIR=str(data_dir), **variables)
    return subprocess.run([sys.executable, "-m", "practicehub.cli", *arguments],
                          env=environment, capture_output=True, text=True, check=False,
                          timeout=300)


def test_the_documented_production_variables_pass_check_deploy(tmp_path: Path) -> None:
    result = _practicehub(tmp_path / "data", "check", "--deploy", "--fail-level", "WARNING",
                          **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_them_check_deploy_names_what_is_missing(tmp_path: Path) -> None:
    result = _practicehub(tmp_path / "data", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_the_production_variables_are_documented() -> None:
    documented = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text()
    for name in PRODUCTION:
        assert f"`{name}`" in documented, name
    assert "SECURE_HSTS_SECONDS=31536000" in documented


def test_a_new_data_folder_and_database_are_readable_by_the_server_account_only(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    assert _practicehub(data_dir, "migrate", "--verbosity", "0").returncode == 0
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in ("practicehub.sqlite3", "secret_key"):
        assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name
    for journal in data_dir.glob("practicehub.sqlite3-*"):
        assert stat.S_IMODE(journal.stat().st_mode) & 0o077 == 0, journal.name


def test_an_existing_world_readable_data_folder_is_closed(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    (data_dir / "practicehub.sqlite3").touch(mode=0o644)
    (data_dir / "practicehub.sqlite3").chmod(0o644)
    assert _practicehub(data_dir, "check").returncode == 0
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "practicehub.sqlite3").stat().st_mode) == 0o600
