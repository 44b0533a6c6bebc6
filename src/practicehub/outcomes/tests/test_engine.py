"""The engine: grouping rules, properties over random valid data, other SQL dialects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import duckdb
import ibis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practicehub.outcomes.data import store
from practicehub.outcomes.engine import computing, contract, facts
from practicehub.outcomes.engine.measures import MEASURES, MeasureParams
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.engine.tables import OutcomeTables
from practicehub.outcomes.tests.builders import (
    Row,
    Tables,
    child,
    episode,
    placement,
    population,
    report,
    write_data,
)

PERIOD = parse_period("2023-01-01:2023-12-31")
COUNTIES = ("06001", "06019")
RACES = ("white", "black", "hispanic", "asian")


def _iso(day: date) -> str:
    return day.isoformat()


@st.composite
def _child_history(draw: st.DrawFn, n: int) -> Tables:
    """One child with up to three non-overlapping episodes, placements inside them, reports."""
    birth = draw(st.dates(date(2004, 1, 1), date(2022, 12, 31)))
    race = draw(st.sampled_from(RACES))
    sex = draw(st.sampled_from(("female", "male")))
    children = [child(f"C{n}", _iso(birth), race=race, sex=sex)]
    episodes: list[Row] = []
    placements: list[Row] = []
    start = max(birth, date(2019, 1, 1)) + timedelta(days=draw(st.integers(0, 1500)))
    for k in range(draw(st.integers(0, 3))):
        stay = draw(st.one_of(st.none(), st.integers(0, 900)))
        end = None if stay is None else start + timedelta(days=stay)
        reason = draw(st.sampled_from(contract.DISCHARGE_REASONS)) if end else ""
        episode_id = f"E{n}-{k}"
        episodes.append(episode(episode_id, f"C{n}", _iso(start), _iso(end) if end else "",
                                reason, county=draw(st.sampled_from(COUNTIES)),
                                office=draw(st.sampled_from(("a", "b")))))
        offsets = draw(st.lists(st.integers(0, stay if stay is not None else 400), max_size=3))
        placements += [placement(episode_id, _iso(start + timedelta(days=offset)), "",
                                 draw(st.sampled_from(contract.PLACEMENT_SETTINGS)))
                       for offset in sorted(offsets)]
        if end is None:
            break
        start = end + timedelta(days=draw(st.integers(0, 500)))
    reports = [
        report(f"R{n}-{k}", f"C{n}", _iso(birth + timedelta(days=draw(st.integers(0, 6000)))),
               disposition=draw(st.sampled_from(contract.DISPOSITIONS)),
               fatality=draw(st.sampled_from(("no", "no", "no", "yes"))),
               county=draw(st.sampled_from(COUNTIES)))
        for k in range(draw(st.integers(0, 3)))
    ]
    return {"children": children, "episodes": episodes, "placements": placements,
            "reports": reports}


@st.composite
def datasets(draw: st.DrawFn) -> Tables:
    tables: Tables = {"children": [], "episodes": [], "placements": [], "reports": []}
    for n in range(draw(st.integers(1, 8))):
        history = draw(_child_history(n))
        for name in ("children", "episodes", "placements", "reports"):
            tables[name] += history[name]
    tables["populations"] = [population(county, 2023, race, age, 100 + 7 * age)
                             for county in COUNTIES for race in RACES for age in (0, 4, 9, 15)]
    return tables


def _sums(rows: Sequence[ResultRow]) -> dict[str, tuple[int, int]]:
    sums: dict[str, tuple[int, int]] = {}
    for row in rows:
        numerator, denominator = sums.get(row.measure, (0, 0))
        sums[row.measure] = (numerator + (row.numerator or 0),
                             denominator + (row.denominator or 0))
    return sums


# Index measures share their numerators and denominators with the rate_per_1000 ones.
SUMMED = [spec.id for spec in MEASURES.values() if spec.kind != "index"]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(datasets())
def test_groups_add_up_to_totals_and_proportions_stay_within_their_denominators(
    tmp_path_factory: pytest.TempPathFactory, tables: Tables
) -> None:
    data = store.load_directory(write_data(tmp_path_factory.mktemp("data"), **tables))
    try:
        whole = computing.compute(data, PERIOD, measures=SUMMED, suppress=False)
        grouped = computing.compute(data, PERIOD, by=("county",), measures=SUMMED, suppress=False)
    finally:
        data.close()
    for row in whole.rows + grouped.rows:
        assert row.numerator is not None
        assert row.denominator is not None
        assert min(row.numerator, row.denominator) >= 0
        if MEASURES[row.measure].kind == "proportion":
            assert row.numerator <= row.denominator
    grouped_sums = _sums(grouped.rows)
    for measure, sums in _sums(whole.rows).items():
        assert grouped_sums.get(measure, (0, 0)) == sums, measure


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> store.DuckDBData:
    directory = write_data(
        tmp_path_factory.mktemp("small"),
        children=[child("C1"), child("C2", race="black")],
        episodes=[episode("E1", "C1", "2023-02-01", "2023-05-01", county="06019", office="a"),
                  episode("E2", "C2", "2023-03-01", county="06001", office="b")],
        populations=[population("06019", 2023, "white", 8, 500),
                     population("06001", 2023, "black", 7, 300)],
    )
    return store.load_directory(directory)


def test_population_measures_grouped_by_office_are_left_out_with_a_warning(
    small: store.DuckDBData,
) -> None:
    result = computing.compute(small, PERIOD, by=("office",),
                            measures=["entry_rate", "permanency_12m_entries"], suppress=False)
    assert {row.measure for row in result.rows} == {"permanency_12m_entries"}
    assert result.warnings == [
        "left out entry_rate needs the population table, which has no office; it can be "
        "grouped only by county, race_ethnicity, age_band"
    ]


def test_indices_without_race_ethnicity_are_left_out_with_a_warning(
    small: store.DuckDBData,
) -> None:
    result = computing.compute(small, PERIOD, by=("county",), measures=["disparity_entries"])
    assert result.rows == []
    assert "race_ethnicity" in result.warnings[0]


def test_unknown_measures_and_dimensions_are_refused(small: store.DuckDBData) -> None:
    with pytest.raises(computing.UsageError, match="unknown measure"):
        computing.compute(small, PERIOD, measures=["p9"])
    with pytest.raises(computing.UsageError, match="unknown dimension"):
        computing.compute(small, PERIOD, by=("planet",))


def test_scope_and_roll_ups_group_counties_for_a_dashboard(small: store.DuckDBData) -> None:
    regions = {"06019": "central", "06001": "bay"}
    result = computing.compute(small, PERIOD, by=("region",), measures=["entry_rate"],
                            rollups={"region": regions}, suppress=False)
    assert {row.group("region"): (row.numerator, row.denominator) for row in result.rows} == {
        "bay": (1, 300), "central": (1, 500)}
    scoped = computing.compute(small, PERIOD, by=("office",), measures=["permanency_12m_entries"],
                            scope={"county": ["06019"]}, suppress=False)
    assert [(row.group("office"), row.numerator, row.denominator) for row in scoped.rows] == [
        ("a", 1, 1)]


def test_an_ibis_backend_can_run_the_measures(tmp_path: Path, small: store.DuckDBData) -> None:
    database = tmp_path / "copy.duckdb"
    small.con.execute(f"ATTACH '{database}' AS copy")
    for table in ("children", "episodes", "placements", "maltreatment_reports", "population",
                  *facts.STORED_FACTS):
        small.con.execute(f"CREATE TABLE copy.{table} AS SELECT * FROM {table}")  # noqa: S608
    small.con.execute("DETACH copy")
    backend = ibis.duckdb.from_connection(duckdb.connect(str(database)))
    runner = computing.IbisRunner(backend)
    direct = computing.compute(small, PERIOD, suppress=False).rows
    assert computing.compute(runner, PERIOD, suppress=False).rows == direct


def test_every_measure_compiles_for_postgres_and_pyspark() -> None:
    params = MeasureParams.build(PERIOD, ("county", "race_ethnicity"))
    for measure_id, spec in MEASURES.items():
        expr = spec.function(OutcomeTables.unbound(), params)
        for dialect in ("postgres", "pyspark"):
            assert "denominator" in computing.to_sql(expr, dialect), (measure_id, dialect)
