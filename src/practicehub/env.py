"""Typed readers for settings that come from environment variables.

Every reader also accepts ``NAME_FILE`` pointing at a file that holds the value, so secrets can be
mounted as files instead of living in the process environment.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


class SettingError(ValueError):
    """An environment variable holds a value its setting cannot use."""


def env_str(name: str, default: str) -> str:
    """``NAME``, or the content of the file ``NAME_FILE`` names (which wins when both are set).

    A file keeps a secret (a database password, the signing key) out of the process environment,
    which other tools may print or pass on, and out of any command line.
    """
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
            raise SettingError(f"{name}_FILE names {file_name}, which cannot be read: "
                               f"{reason}") from None
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name, "yes" if default else "no").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise SettingError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = env_str(name, str(default)).strip()
    try:
        return int(raw)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name, ",".join(default))
    return [item.strip() for item in raw.split(",") if item.strip()]


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?\s*$", re.IGNORECASE)
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def env_bytes(name: str, default: str) -> int:
    """A size such as ``50MB``, ``2.5 MB``, ``512KB`` or a plain number of bytes (1 KB = 1024)."""
    raw = env_str(name, default)
    found = _SIZE.match(raw)
    if found is None:
        raise SettingError(f"{name} must be a size like 50MB, 512KB or 1048576, not {raw!r}")
    return int(float(found.group(1)) * _UNITS[(found.group(2) or "B").upper()])
