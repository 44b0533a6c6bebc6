"""Production settings from the environment: persistent connections with health checks, and the
shared cache (the data folder, a database table several servers share, or Redis)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SHOW = ("import django, json; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; "
        "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], "
        "settings.CACHES['default']['BACKEND']]))")


def _run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(("DATABASE_", "PRACTICEHUB_CACHE"))}
    environment.update(DJANGO_SETTINGS_MODULE="practicehub.settings",
                       PRACTICEHUB_DATA_DIR=str(tmp_path), **env)
    return subprocess.run([sys.executable, "-c", code], env=environment,
                          capture_output=True, text=True, check=False)


def test_connections_are_kept_ten_minutes_and_checked_unless_the_environment_says(
    tmp_path: Path,
) -> None:
    default = json.loads(_run(SHOW, tmp_path).stdout)
    assert default == [600, True, "django.core.cache.backends.filebased.FileBasedCache"]
    per_request = json.loads(_run(SHOW, tmp_path, DATABASE_CONN_MAX_AGE="0",
                                  DATABASE_CONN_HEALTH_CHECKS="false").stdout)
    assert per_request[:2] == [0, False]


def test_the_database_cache_is_shared_through_a_table_serve_creates(tmp_path: Path) -> None:
    code = ("import django; django.setup(); from django.core.management import call_command; "
            "call_command('migrate', verbosity=0); call_command('createcachetable'); "
            "from django.core.cache import cache; cache.set('k', [1, 2], 60); "
            "from django.db import connection; "
            "print(cache.get('k'), 'practicehub_cache' in connection.introspection.table_names())")
    done = _run(code, tmp_path, PRACTICEHUB_CACHE="database")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[1,", "2]", "True"]


def test_an_unknown_cache_kind_is_refused_naming_the_variable(tmp_path: Path) -> None:
    done = _run(SHOW, tmp_path, PRACTICEHUB_CACHE="memcache")
    assert done.returncode != 0
    assert "PRACTICEHUB_CACHE is “memcache”; use file, database or a redis:// address." \
        in done.stderr
