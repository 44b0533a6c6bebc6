"""A cache on disk of compiled measure SQL, shared by every process of one installed version.

Compiling the full measure set from Ibis to SQL takes 2–3 s, longer than running it on a million
episodes; a command-line call is a fresh process, so the in-process cache of ``engine`` does not
help it. Entries are keyed by a fingerprint of the code that builds the expressions (every module
of this package), the Ibis and sqlglot versions, and the request itself, so a changed rule can
never be answered with stale SQL: it simply misses. Writes are atomic (write, then rename); an
unwritable cache is skipped, never an error.

Location: ``PRACTICEHUB_SQL_CACHE`` if set (``off`` disables it), else
``$XDG_CACHE_HOME/practicehub/sql`` or ``~/.cache/practicehub/sql``.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    configured = os.environ.get("PRACTICEHUB_SQL_CACHE", "")
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "practicehub" / "sql"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of every module that shapes a measure's SQL, and of the compilers' versions."""
    digest = hashlib.sha256()
    for name in ("ibis-framework", "sqlglot"):
        digest.update(f"{name}={version(name)}\n".encode())
    for path in sorted(_PACKAGE.rglob("*.py")):
        if "tests" not in path.relative_to(_PACKAGE).parts:
            digest.update(path.relative_to(_PACKAGE).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _entry(request: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(f"{code_fingerprint()}\n{request}".encode()).hexdigest()
    return folder / key[:2] / f"{key}.sql"


def load(request: str) -> str | None:
    """The cached SQL of ``request`` (a description of measure, parameters and dialect)."""
    path = _entry(request)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def store(request: str, sql: str) -> None:
    path = _entry(request)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        partial.write_text(sql, encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        return
