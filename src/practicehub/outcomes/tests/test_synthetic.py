"""The synthetic generator: deterministic, valid, shaped like California."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.data.validation import validate_directory
from practicehub.outcomes.engine import computing
from practicehub.outcomes.engine.counties import COUNTIES
from practicehub.outcomes.engine.periods import parse_period

EPISODES = 20_000


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("synthetic")
    synthetic.generate(directory, EPISODES, seed=11)
    return directory


def _tables(directory: Path) -> dict[str, object]:
    return {path.name: pq.read_table(path) for path in sorted(directory.iterdir())}


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(
    generated: Path, tmp_path: Path
) -> None:
    synthetic.generate(tmp_path / "again", EPISODES, seed=11)
    synthetic.generate(tmp_path / "other", EPISODES, seed=12)
    first = _tables(generated)
    assert _tables(tmp_path / "again") == first
    assert _tables(tmp_path / "other")["episodes.parquet"] != first["episodes.parquet"]


def test_generated_data_pass_validation_with_the_requested_episode_count(
    generated: Path,
) -> None:
    found = validate_directory(generated)
    assert found.ok, found.format()
    assert found.rows["episodes.parquet"] == EPISODES


def test_csv_output_is_valid_too(tmp_path: Path) -> None:
    counts = synthetic.generate(tmp_path, 500, seed=3, fmt="csv")
    assert counts["episodes"] == 500
    assert validate_directory(tmp_path).ok


def test_counties_are_californias_fips_codes_in_alphabetical_order() -> None:
    codes = [code for code, _, _ in COUNTIES]
    names = [name for _, name, _ in COUNTIES]
    assert codes == [f"06{n:03d}" for n in range(1, 116, 2)]
    assert names == sorted(names)
    assert len(names) == 58


def test_the_data_look_like_california(generated: Path) -> None:
    data = store.load_directory(generated)
    try:
        period = parse_period("2023-01-01:2023-12-31")
        measures = ["entry_rate", "permanency_12m_entries", "reentry_12m",
                    "placement_moves_per_1000_days"]
        whole = {row.measure: row
                 for row in computing.compute(data, period, measures=measures, suppress=False).rows}
        by_race = computing.compute(data, period, by=("race_ethnicity",),
                                 measures=["disparity_entries"], suppress=False).rows
    finally:
        data.close()
    assert 1.5 < (whole["entry_rate"].value or 0) < 3.0
    assert 0.25 < (whole["permanency_12m_entries"].value or 0) < 0.45
    assert 0.03 < (whole["reentry_12m"].value or 0) < 0.15
    assert 2.5 < (whole["placement_moves_per_1000_days"].value or 0) < 6.0
    disparity = {row.group("race_ethnicity"): row.value for row in by_race}
    assert (disparity["black"] or 0) > 2.5
    assert (disparity["aian"] or 0) > 2.5
