"""One DuckDB connection per server process: reused by requests and threads, reopened when an
import replaces the file, and cached answers follow the new data."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.services import reading
from practicehub.testing.personas import Personas


def _import(folder: Path, episodes: int, seed: int) -> Path:
    source = folder / f"source-{seed}"
    synthetic.generate(source, episodes, seed=seed)
    store.import_directory(source, folder / store.DATABASE_NAME)
    return folder / store.DATABASE_NAME


def _episodes(path: Path) -> int:
    data = reading.read(path)
    assert data is not None
    try:
        return int(data.fetch("SELECT count(*) AS n FROM episodes")[0]["n"])
    finally:
        data.close()


def test_requests_share_one_connection_until_an_import_replaces_the_file(
    tmp_path: Path,
) -> None:
    path = _import(tmp_path, 300, seed=1)
    first = reading.read(path)
    assert first is not None
    first.close()
    second = reading.read(path)
    assert second is not None
    assert second.version == first.version
    second.close()
    shared = reading._SHARED.by_path[path].con
    assert _episodes(path) == 300
    assert reading._SHARED.by_path[path].con is shared  # not opened (nor checked) again

    _import(tmp_path, 500, seed=2)  # written aside and renamed in, as every import does

    # DuckDB would hand a plain connect() of the same path the old, still open database.
    assert _episodes(path) == 500
    reopened = reading.read(path)
    assert reopened is not None
    assert reopened.version != first.version
    reopened.close()
    reading.forget(path)


def test_threads_read_at_once_each_through_its_own_cursor(tmp_path: Path) -> None:
    path = _import(tmp_path, 300, seed=3)
    counts: list[int] = []
    failures: list[BaseException] = []

    def read_many() -> None:
        try:
            counts.extend(_episodes(path) for _ in range(20))
        except BaseException as error:  # reported below, with the thread's error
            failures.append(error)

    threads = [threading.Thread(target=read_many) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert counts == [300] * 120
    reading.forget(path)


def test_nothing_imported_reads_as_none(tmp_path: Path) -> None:
    assert reading.read(tmp_path / store.DATABASE_NAME) is None


def test_an_api_answer_is_cached_per_import_and_scope(
    tmp_path: Path, settings: Any, personas: Personas, login_as: Any,
) -> None:
    settings.OUTCOMES_DIR = tmp_path
    _import(tmp_path, 300, seed=4)
    client = login_as(personas.state_admin)
    asked = {"period": "24A24B", "measures": "permanency_12m_entries"}
    before = client.get("/api/v1/outcomes/measures", asked).json()
    assert client.get("/api/v1/outcomes/measures", asked).json() == before
    # A Fresno coach is answered for Fresno only, not from the statewide entry.
    coach = login_as(personas.fresno.coach).get("/api/v1/outcomes/counts",
                                                {"period": "24A24B", "by": "county"}).json()
    assert {row["county"] for row in coach["rows"]} == {"06019", "total"}

    _import(tmp_path, 900, seed=5)
    after = login_as(personas.state_admin).get("/api/v1/outcomes/measures", asked).json()
    assert [row["denominator"] for row in after["rows"]] != [
        row["denominator"] for row in before["rows"]]
    reading.forget(tmp_path / store.DATABASE_NAME)


def test_after_an_import_is_warmed_fidelity_and_outcomes_read_no_outcome_data(
    tmp_path: Path, settings: Any, db: None,
) -> None:
    from practicehub.fidelity.services import beside_outcomes
    from practicehub.outcomes.services import dashboard_data, dashboard_warming
    from practicehub.outcomes.services.access import OutcomeScope

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    path = _import(tmp_path, 400, seed=6)
    with dashboard_data.opened(path) as data:
        assert data is not None
        dashboard_warming.warm(data)
    with dashboard_data.opened(path) as data:
        assert data is not None
        period = beside_outcomes.default_period(data.runner)
        assert period is not None
        data.runner.close()  # any query of the outcome data now fails
        statewide = OutcomeScope(statewide=True, counties=(), unsuppressed=True)
        rows = beside_outcomes.outcome_rows(data.runner, period, "office", ["no-such-office"],
                                          statewide)
    assert [(row.numerator, row.denominator) for row in rows["permanency_12m_entries"]] == [
        (0, 0)]
    reading.forget(path)
