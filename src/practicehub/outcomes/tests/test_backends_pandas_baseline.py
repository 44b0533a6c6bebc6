"""The benchmark's pandas baseline computes the engine's numbers (so timing it is fair)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.engine import computing
from practicehub.outcomes.engine.measures import in_pandas_baseline
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.tests.builders import roughen

BASELINE = Path(__file__).resolve().parents[4] / "benchmarks" / "pandas_baseline.py"
PERIOD = parse_period("23A23B")
BY = ("county", "race_ethnicity")
Key = tuple[str, str | None, str | None]


def load_baseline() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pandas_baseline", BASELINE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["as_generated", "roughened"])
def imported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Synthetic data as generated, and roughened at the edges of the v2 rules."""
    folder = tmp_path_factory.mktemp("baseline")
    synthetic.generate(folder / "data", 2000, 11)
    if request.param == "roughened":
        roughen(folder / "data", 5)
    database = folder / "outcomes.duckdb"
    store.import_directory(folder / "data", database)
    return database


def engine_rows(database: Path) -> dict[Key, tuple[int, int, float | None]]:
    data = store.open_database(database)
    try:
        result = computing.compute(data, PERIOD, by=BY, suppress=False)
    finally:
        data.close()
    return {(row.measure, row.group("county"), row.group("race_ethnicity")):
            (row.numerator or 0, row.denominator or 0, row.value) for row in result.rows
            if row.measure in in_pandas_baseline()}


def baseline_rows(database: Path) -> dict[Key, tuple[int, int, float | None]]:
    baseline = load_baseline()
    frames = baseline.read_tables(store.parquet_dir(database))
    rows: list[dict[str, Any]] = baseline.records(baseline.compute(frames, PERIOD.start,
                                                                   PERIOD.end))
    return {(row["measure"], row["county"], row["race_ethnicity"]):
            (int(row["numerator"]), int(row["denominator"]), row["value"]) for row in rows}


def same_value(left: float | None, right: float | None) -> bool:
    if left is None or right is None:
        return left is right
    return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)


def test_the_pandas_baseline_gives_the_engines_numbers_for_every_measure(imported: Path) -> None:
    expected, got = engine_rows(imported), baseline_rows(imported)
    assert {key[0] for key in got} == {key[0] for key in expected} == in_pandas_baseline()
    for key in expected.keys() | got.keys():
        assert key in expected, key
        assert key in got, key
        assert expected[key][:2] == got[key][:2], key
        assert same_value(expected[key][2], got[key][2]), key


def test_the_comparison_is_not_vacuous(imported: Path) -> None:
    sums: dict[str, int] = {}
    for (measure, _, _), (numerator, _, _) in engine_rows(imported).items():
        sums[measure] = sums.get(measure, 0) + numerator
    assert all(total > 0 for total in sums.values()), sums
