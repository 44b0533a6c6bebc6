"""All measures in one query (``measures/period_pass.py``) give each measure's own rows exactly.

``computing.compute`` runs the requested measures of a period as one query sharing one scan of
the episode facts; each measure's own expression (``MEASURES[id].function``) stays the definition.
Both are run here on the same data, under groupings, scopes, roll-ups and reference dates, and
must give the same rows: same groups, counts, and the very same values.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.engine import computing
from practicehub.outcomes.engine.measures import MEASURES, MeasureParams, grouping_problem
from practicehub.outcomes.engine.measures.period_pass import period_pass
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.engine.tables import OutcomeTables
from practicehub.outcomes.tests.builders import roughen
from practicehub.outcomes.tests.test_backends import HAND_BUILT_PERIOD, hand_built

REGIONS = {"06019": "central", "06001": "bay", "06037": "south"}
CASES: list[tuple[str, dict[str, Any]]] = [
    ("total", {"by": ()}),
    ("county-race", {"by": ("county", "race_ethnicity")}),
    ("office", {"by": ("office",)}),
    ("age-sex", {"by": ("age_band", "sex")}),
    ("region-age", {"by": ("region", "age_band"), "rollups": {"region": REGIONS}}),
    ("scoped-county", {"by": ("race_ethnicity",), "scope": {"county": ["06019", "06001"]}}),
    ("scoped-age", {"by": ("county",), "scope": {"age_band": ["6_10", "11_16"]}}),
    ("scoped-region", {"by": ("sex",), "rollups": {"region": REGIONS},
                       "scope": {"region": ["central"]}}),
    ("reference-date", {"by": ("county", "race_ethnicity"),
                        "reference_date": date(2022, 6, 30)}),
]


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, store.DuckDBData]]:
    folder = tmp_path_factory.mktemp("period_pass")
    synthetic.generate(folder / "synthetic", 3000, 11)
    roughen(folder / "synthetic", 11)
    loaded = {"synthetic": store.load_directory(folder / "synthetic"),
              "hand_built": store.load_directory(hand_built(folder / "hand_built"))}
    yield loaded
    for data in loaded.values():
        data.close()


def _one_by_one(data: store.DuckDBData, params: MeasureParams) -> dict[str, list[ResultRow]]:
    return {spec.id: computing.measure_rows(spec, data, params) for spec in MEASURES.values()
            if grouping_problem(spec, params) is None}


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
@pytest.mark.parametrize(("dataset", "period"), [("synthetic", "23A23B"),
                                                 ("synthetic", "2021-01-01:2021-12-31"),
                                                 ("hand_built", HAND_BUILT_PERIOD)])
def test_one_query_gives_every_measures_own_rows(
    datasets: dict[str, store.DuckDBData], dataset: str, period: str, name: str,
    case: dict[str, Any],
) -> None:
    data = datasets[dataset]
    params = MeasureParams.build(parse_period(period), **case)
    expected = _one_by_one(data, params)
    specs = [MEASURES[measure_id] for measure_id in expected]
    assert computing.measures_rows(specs, data, params) == expected
    if dataset == "synthetic" and "scope" not in case:
        # Not vacuous: every measure counted someone.
        counted = [measure for measure, rows in expected.items()
                   if not any(row.numerator for row in rows)]
        assert counted == [], counted


def test_one_measure_alone_and_any_subset_give_the_same_rows(
    datasets: dict[str, store.DuckDBData],
) -> None:
    data = datasets["synthetic"]
    params = MeasureParams.build(parse_period("23A23B"), ("county", "race_ethnicity"))
    expected = _one_by_one(data, params)
    assert set(expected) == set(MEASURES)
    for measure_id in MEASURES:
        assert computing.measures_rows([MEASURES[measure_id]], data, params) == {
            measure_id: expected[measure_id]}
    subset = ["disparity_in_care", "placement_moves_per_1000_days", "reentry_12m"]
    assert computing.measures_rows([MEASURES[name] for name in subset], data, params) == {
        name: expected[name] for name in subset}


def test_the_measures_share_one_scan_of_the_episode_facts() -> None:
    """The full set reads ``episode_facts`` three times (the shared pass, P5's and S1's joins),
    where one query per measure read it once per measure."""
    params = MeasureParams.build(parse_period("23A23B"), ("county", "race_ethnicity"))
    sql = computing.to_sql(period_pass(OutcomeTables.unbound(), params,
                                       list(MEASURES.values())), "duckdb")
    assert sql.count('FROM "episode_facts"') == 3
    separately = sum(computing.compiled_sql(measure_id, params, "duckdb").count(
        '"episode_facts"') for measure_id in MEASURES)
    assert separately >= 17


@pytest.mark.parametrize("dialect", ["postgres", "pyspark"])
def test_the_one_query_compiles_for_postgres_and_spark(dialect: str) -> None:
    params = MeasureParams.build(parse_period("23A23B"), ("region", "age_band"),
                                 rollups={"region": REGIONS}, scope={"county": ["06019"]})
    specs = [spec for spec in MEASURES.values() if grouping_problem(spec, params) is None]
    sql = computing.to_sql(period_pass(OutcomeTables.unbound(), params, specs), dialect)
    assert sql.lstrip().upper().startswith(("SELECT", "WITH"))
    for spec in specs:
        assert f"'{spec.id}'" in sql, spec.id
