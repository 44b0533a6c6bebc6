"""A killed outcome import leaves no temporary files (issue 9, fault 9): the import's work files
beside the DuckDB file go on an exception, Ctrl-C and SIGTERM, and after SIGKILL the next import
removes them before it starts. The folder then holds the previous good database only, and it still
computes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.data.workfiles import ImportStopped, leftovers, stop_on_terminate
from practicehub.outcomes.tests.builders import (
    child,
    episode,
    placement,
    population,
    write_data,
)

GOOD = ["outcomes.duckdb", "outcomes_parquet"]
COMPUTE = ("compute", "--period", "2023-01-01:2023-12-31", "--measures",
           "entry_rate,permanency_12m_entries", "--no-suppress")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough data (10,000 episodes) that an import takes a few seconds to kill in."""
    folder = tmp_path_factory.mktemp("big") / "data"
    synthetic.generate(folder, 10_000, 3, fmt="csv")
    return folder


def _small(directory: Path) -> Path:
    return write_data(
        directory, children=[child("C1"), child("C2")],
        episodes=[episode("E1", "C1", "2023-02-01", "2023-06-01", "reunification"),
                  episode("E2", "C2", "2023-03-01")],
        placements=[placement("E1", "2023-02-01"), placement("E2", "2023-03-01")],
        populations=[population("06019", 2023, "white", 5, 1000)],
    )


def _compute(database: Path) -> str:
    out = io.StringIO()
    call_command("outcomes", *COMPUTE, "--data", str(database), stdout=out)
    return out.getvalue()


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, str]:
    """A folder holding a good import, and what it computes."""
    database = tmp_path / "store" / "outcomes.duckdb"
    store.import_directory(_small(tmp_path / "small"), database)
    return database, _compute(database)


def _start_import(data: Path, database: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PRACTICEHUB_DATA_DIR": str(database.parent.parent / "app")}
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "practicehub.cli", "outcomes", "import", "--data", str(data),
             "--into", str(database)],
            stdout=subprocess.DEVNULL, stderr=stderr, env=env,
        )


def _work_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name not in GOOD)


def _when_working(process: subprocess.Popen[bytes], folder: Path) -> list[str]:
    """Wait until the import has written its work files (it is then mid-way)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = [name for name in _work_files(folder) if ".tmp-" in name]
        if found:
            return found
        assert process.poll() is None, "the import ended before it could be stopped"
        time.sleep(0.01)
    raise AssertionError("the import wrote no work files")


def test_an_import_stopped_by_sigterm_leaves_only_the_previous_database(
    big: Path, previous: tuple[Path, str], tmp_path: Path,
) -> None:
    database, computed = previous
    log = tmp_path / "stderr.txt"
    process = _start_import(big, database, log)
    _when_working(process, database.parent)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=120) == 128 + signal.SIGTERM
    assert "import stopped by SIGTERM: nothing was changed" in log.read_text(encoding="utf-8")
    assert sorted(os.listdir(database.parent)) == GOOD
    assert _compute(database) == computed


def test_the_import_after_a_sigkill_removes_what_the_killed_one_left(
    big: Path, previous: tuple[Path, str], tmp_path: Path,
) -> None:
    database, computed = previous
    process = _start_import(big, database, tmp_path / "stderr.txt")
    _when_working(process, database.parent)
    process.kill()
    process.wait(timeout=60)
    left = _work_files(database.parent)
    assert left, "SIGKILL gives the import no chance to clean up"
    assert all(name.startswith((".outcomes.duckdb.", ".outcomes_parquet.")) for name in left)
    # Even an import that is refused cleans up first.
    invalid = write_data(tmp_path / "invalid", children=[child("C1", "2015-02-30")])
    with pytest.raises(CommandError):
        call_command("outcomes", "import", "--data", str(invalid), "--into", str(database),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert sorted(os.listdir(database.parent)) == GOOD
    assert _compute(database) == computed


def test_work_files_of_a_running_import_are_left_alone(tmp_path: Path) -> None:
    alive = tmp_path / f".outcomes.duckdb.tmp-{os.getppid()}-{'a' * 32}"
    dead = tmp_path / f".outcomes.duckdb.tmp-999999999-{'b' * 32}"
    for path in (alive, dead):
        path.write_text("", encoding="utf-8")
    assert leftovers(tmp_path / "outcomes.duckdb", tmp_path / "outcomes_parquet") == [dead]


@pytest.mark.parametrize("stop", [KeyboardInterrupt, RuntimeError])
def test_an_import_interrupted_or_failing_mid_way_removes_its_work_files(
    previous: tuple[Path, str], tmp_path: Path, stop: type[BaseException],
) -> None:
    database, computed = previous

    def progress(step: str) -> None:
        if step == "writing Parquet copies":
            raise stop("stopped while writing")

    with pytest.raises(stop):
        store.import_directory(_small(tmp_path / "again"), database, progress=progress)
    assert sorted(os.listdir(database.parent)) == GOOD
    assert _compute(database) == computed


def _long_query_signalled_by(timer: threading.Timer) -> None:
    con = duckdb.connect()
    with stop_on_terminate():
        timer.start()
        con.execute("SELECT count(*) FROM range(20000000000) t(x) WHERE x % 7 = 3").fetchall()


def test_a_sigterm_that_interrupts_a_duckdb_query_still_stops_the_import() -> None:
    """DuckDB answers a signal during a query with its own "Query interrupted" error, not the
    handler's exception; the import must still report that it was stopped (exit 128 + 15), not
    fail with that error (exit 1): seen when the signal came mid-query."""
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    with pytest.raises(ImportStopped) as stopped:
        _long_query_signalled_by(timer)
    timer.join()
    assert stopped.value.signum == signal.SIGTERM
    assert "interrupted" in str(stopped.value.__cause__).lower()
