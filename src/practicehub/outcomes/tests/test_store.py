"""Importing into DuckDB: all or nothing, and the same numbers as computing from the files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from practicehub.outcomes.data import store
from practicehub.outcomes.engine import computing
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.tests.builders import (
    child,
    episode,
    placement,
    population,
    write_data,
)

PERIOD = parse_period("2023-01-01:2023-12-31")


def _data(directory: Path, discharge: str = "2023-05-01") -> Path:
    return write_data(
        directory,
        children=[child("C1"), child("C2")],
        episodes=[episode("E1", "C1", "2023-02-01", discharge), episode("E2", "C2", "2023-03-01")],
        placements=[placement("E1", "2023-02-01"), placement("E2", "2023-03-01")],
        populations=[population("06019", 2023, "white", 5, 1000)],
    )


def _episode_count(database: Path) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        row = con.execute("SELECT count(*) FROM episodes").fetchone()
    return int(row[0]) if row else 0


def test_import_writes_typed_tables_and_parquet_copies(tmp_path: Path) -> None:
    database = tmp_path / "store" / "outcomes.duckdb"
    store.import_directory(_data(tmp_path / "in"), database)
    with duckdb.connect(str(database), read_only=True) as con:
        types = dict(con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'placements'"
        ).fetchall())
    assert types == {"episode_id": "VARCHAR", "start_date": "DATE", "end_date": "DATE",
                     "setting": "VARCHAR", "placement_seq": "BIGINT"}
    copies = sorted(path.name for path in store.parquet_dir(database).iterdir())
    assert copies == ["children.parquet", "episodes.parquet", "maltreatment_reports.parquet",
                      "placements.parquet", "population.parquet"]


def test_invalid_data_loads_nothing_and_keeps_the_previous_database(tmp_path: Path) -> None:
    database = tmp_path / "outcomes.duckdb"
    bad = write_data(tmp_path / "bad", children=[child("C1")],
                     episodes=[episode("E1", "C1", "2023-02-01", "2023-01-01"),
                               episode("E2", "C1", "2023-06-01"),
                               episode("E3", "C1", "2023-07-01")],
                     placements=[placement("E2", "2023-06-01")],
                     populations=[population("06019", 2023, "white", 5, 100)])
    with pytest.raises(store.InvalidDataError):
        store.import_directory(bad, database, strict=True)
    assert not database.exists()
    store.import_directory(_data(tmp_path / "good"), database)
    with pytest.raises(store.InvalidDataError) as raised:
        store.import_directory(bad, database, strict=True)
    assert set(raised.value.report.counts) == {
        ("episodes.csv", "discharge_before_removal"), ("episodes.csv", "overlapping_episodes")}
    assert _episode_count(database) == 2
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "bad", "good", "outcomes.duckdb", "outcomes_parquet"]


def test_an_imported_database_gives_the_same_numbers_as_its_files(tmp_path: Path) -> None:
    source = _data(tmp_path / "in")
    database = tmp_path / "outcomes.duckdb"
    store.import_directory(source, database)
    results = []
    for path in (source, database):
        data = store.open_data(path)
        try:
            results.append(computing.compute(data, PERIOD, suppress=False).rows)
        finally:
            data.close()
    assert results[0] == results[1]


def test_an_imported_file_keys_every_episode_and_child_once_and_holds_only_what_measures_read(
    tmp_path: Path,
) -> None:
    database = tmp_path / "outcomes.duckdb"
    data = write_data(
        tmp_path / "in",
        children=[child("C1"), child("C2"), child("C3")],
        episodes=[episode("E1", "C1", "2023-02-01", "2023-04-01"),
                  episode("E2", "C1", "2023-06-01"), episode("E3", "C2", "2023-03-01"),
                  episode("E4", "C3", "2023-03-05")],
        placements=[placement("E1", "2023-02-01"), placement("E1", "2023-03-01"),
                    placement("E2", "2023-06-01"), placement("E3", "2023-03-01"),
                    placement("E4", "2023-03-05")],
        populations=[population("06019", 2023, "white", 5, 1000)],
    )
    store.import_directory(data, database)
    with duckdb.connect(str(database), read_only=True) as con:
        tables = {str(row[0]) for row in con.execute("SHOW TABLES").fetchall()}
        keys = con.execute(
            "SELECT count(DISTINCT episode_key), count(DISTINCT child_key), "
            "count(DISTINCT (child_id, child_key)) FROM episode_facts").fetchall()
        # Each placement joins its own episode's key: E1's two placements share one.
        per_episode = con.execute(
            "SELECT e.episode_id, count(*) FROM placement_facts p JOIN episode_facts e "
            "USING (episode_key) GROUP BY ALL ORDER BY 1").fetchall()
    assert keys == [(4, 3, 3)]
    assert per_episode == [("E1", 2), ("E2", 1), ("E3", 1), ("E4", 1)]
    assert {"episode_facts", "placement_facts", "victim_reports"} <= tables
    assert not tables & {"child_facts", "episode_keys"}
