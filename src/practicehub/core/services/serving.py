"""Running the web server and the task worker side by side (``practicehub serve``).

gunicorn serves pages; ``db_worker`` (django-tasks-db) runs background jobs from the database
queue. Both are children of ``serve``: a worker that dies is started again, and stopping
``serve`` (Ctrl-C, SIGTERM) stops both, so no worker is left running without its server.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

# gunicorn's request limits, stated rather than left to its defaults (docs/configuration.md).
REQUEST_LINE_LIMIT = 8190  # bytes in the request line (method, path and query)
REQUEST_FIELDS_LIMIT = 100  # header fields
REQUEST_FIELD_SIZE_LIMIT = 8190  # bytes in one header field
WORKER_GRACE = 5.0  # seconds the task worker gets to finish its task before it is told again
STOP_WAIT = 15.0  # seconds to wait for a child to exit before killing it
RESTART_DELAY = 5.0  # seconds between restarts of a task worker that stopped


@dataclass(frozen=True)
class ServerOptions:
    bind: str
    workers: int
    threads: int
    timeout: int


def server_command(options: ServerOptions) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "practicehub.wsgi:application",
            "--bind", options.bind, "--workers", str(options.workers),
            "--threads", str(options.threads), "--timeout", str(options.timeout),
            "--graceful-timeout", "30",
            # Load the application (and every view, wsgi.py) once before forking the workers:
            # the first request finds it loaded, and the workers share its memory.
            "--preload",
            "--limit-request-line", str(REQUEST_LINE_LIMIT),
            "--limit-request-fields", str(REQUEST_FIELDS_LIMIT),
            "--limit-request-field_size", str(REQUEST_FIELD_SIZE_LIMIT),
            "--access-logfile", "-"]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "practicehub.cli", "db_worker", "--no-reload",
            "--interval", "1", "--queue-name", "*"]


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def _stop(process: subprocess.Popen[bytes] | None, *, signals: int = 1) -> None:
    """Ask a child to stop (``signals`` times, ``WORKER_GRACE`` apart), then kill it."""
    if process is None or process.poll() is not None:
        return
    for attempt in range(signals):
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(WORKER_GRACE if attempt < signals - 1 else STOP_WAIT)
            return
        except subprocess.TimeoutExpired:
            continue
    process.kill()
    process.wait()


def supervise(server: list[str], worker: list[str] | None, say: Callable[[str], None]) -> int:
    """Run the server (and the worker) until the server exits or ``serve`` is told to stop.

    The worker is told twice: the first SIGTERM lets it finish a short task, the second stops a
    long one, which records on its job that the server stopped (its import is rolled back)."""
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    server_process = subprocess.Popen(server)  # noqa: S603 (our own interpreter and arguments)
    worker_process = subprocess.Popen(worker) if worker else None  # noqa: S603
    died_at: float | None = None
    try:
        while (code := server_process.poll()) is None:
            if worker and worker_process is not None and worker_process.poll() is not None:
                died_at = died_at or time.monotonic()
                if time.monotonic() - died_at >= RESTART_DELAY:
                    say(f"The task worker stopped (exit {worker_process.returncode}); "
                        "starting it again.")
                    worker_process, died_at = subprocess.Popen(worker), None  # noqa: S603
            time.sleep(0.5)
        return code
    except (KeyboardInterrupt, _Stop):
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(worker_process, signals=2)
        _stop(server_process)
