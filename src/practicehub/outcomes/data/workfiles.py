"""The files an import writes next to its target while it works, and making sure none outlive it.

An import builds its new DuckDB file, Parquet copies and kept tables under hidden names beside the
target (``.outcomes.duckdb.tmp-<pid>-<token>`` …) and renames them into place only when the data
are valid. Whatever way it ends, they go:

- on success or an exception (KeyboardInterrupt included), the import's own ``finally`` removes
  them;
- on SIGTERM or SIGHUP, :func:`stop_on_terminate` turns the signal into :class:`ImportStopped`, so
  the same ``finally`` runs;
- after SIGKILL (or a power cut) nothing can run, so the next import to the same folder removes
  every work file whose process (the pid in its name) is no longer running, before it starts.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

KINDS = ("tmp", "kept", "old", "federal")
# .<name>.<kind>-[<pid>-]<32 hex>[.wal]; names without a pid come from versions before it was added.
_WORK_NAME = re.compile(
    rf"^\.(?P<name>.+)\.(?:{'|'.join(KINDS)})-(?:(?P<pid>[0-9]+)-)?[0-9a-f]{{32}}(?:\.wal)?$"
)
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class ImportStopped(BaseException):
    """The import was told to stop by a signal; its work files are removed as it unwinds."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


@contextmanager
def stop_on_terminate() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ImportStopped instead of ending the process at
    once, so cleanup runs; whatever error the block ends with after such a signal (a DuckDB query
    it interrupted) is reported as ImportStopped. Only the main thread can take signals;
    elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    received: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)
        raise ImportStopped(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    except ImportStopped:
        raise
    except BaseException as error:
        # A signal arriving while DuckDB runs a query interrupts the query, and DuckDB raises
        # its own error ("Query interrupted") instead of ours: the import was still stopped.
        if received:
            raise ImportStopped(received[0]) from error
        raise
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@dataclass(frozen=True)
class WorkFiles:
    """The work files of one import into ``target`` (a DuckDB file; its Parquet copies beside)."""

    target: Path
    parquet: Path
    token: str

    @classmethod
    def for_target(cls, target: Path, parquet: Path) -> WorkFiles:
        return cls(target, parquet, f"{os.getpid()}-{uuid.uuid4().hex}")

    def _beside(self, path: Path, kind: str) -> Path:
        return path.with_name(f".{path.name}.{kind}-{self.token}")

    @property
    def database(self) -> Path:
        return self._beside(self.target, "tmp")

    @property
    def wal(self) -> Path:
        return self.database.with_name(self.database.name + ".wal")

    @property
    def parquet_copies(self) -> Path:
        return self._beside(self.parquet, "tmp")

    @property
    def kept(self) -> Path:
        """Tables kept from the earlier import, exported for validation."""
        return self._beside(self.target, "kept")

    @property
    def federal(self) -> Path:
        """A federal file's converted data directory."""
        return self._beside(self.target, "federal")

    def old(self, path: Path) -> Path:
        """Where ``path`` goes while its replacement is renamed in."""
        return self._beside(path, "old")

    def remove(self) -> None:
        for path in (self.database, self.wal, self.parquet_copies, self.kept, self.federal):
            remove(path)


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def leftovers(target: Path, parquet: Path) -> list[Path]:
    """Work files of imports into ``target`` whose process is gone."""
    names = {target.name, parquet.name}
    found = []
    for path in target.parent.glob(".*"):
        match = _WORK_NAME.match(path.name)
        if match is None or match["name"] not in names:
            continue
        pid = match["pid"]
        if pid is None or (int(pid) != os.getpid() and not _running(int(pid))):
            found.append(path)
    return sorted(found)


def remove_leftovers(target: Path, parquet: Path) -> list[Path]:
    """Remove what an import killed before it could clean up left beside ``target``."""
    found = leftovers(target, parquet)
    for path in found:
        remove(path)
    return found
