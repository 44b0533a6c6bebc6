"""The same measure SQL run by Spark in local mode must give DuckDB's rows.

One local SparkSession (one core, no UI) per module. Each data set lives in a session of its own
(``newSession``: same JVM, separate temporary views): its DuckDB contract tables go over as Arrow
tables into views named like the tables, and ``spark_runner.register`` builds and caches the fact
tables from them as ``outcomes compute --engine spark`` does; ``spark_runner.SparkData`` is the
runner. Skipped where Java or pyspark is missing.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from practicehub.outcomes.bench import TimedRunner
from practicehub.outcomes.data import spark_runner, store, synthetic
from practicehub.outcomes.engine import computing, contract
from practicehub.outcomes.engine.measures import MEASURES, MeasureParams, grouping_problem
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.engine.tables import ibis_schema
from practicehub.outcomes.tests.test_backends import (
    HAND_BUILT_PERIOD,
    assert_same_rows,
    hand_built,
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

pytestmark = [
    pytest.mark.skipif(shutil.which("java") is None,
                       reason="no java on PATH: Spark's local mode needs a JVM (Java 17+)"),
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None,
                       reason="pyspark is not installed (requirements-dev.txt pins it)"),
]

GROUPINGS: tuple[tuple[str, ...], ...] = ((), ("county", "race_ethnicity"))
# Spark's cost here is per query (planning, scheduling), not per row: a small synthetic set
# covers as much SQL as a large one.
SYNTHETIC_EPISODES = 300
SYNTHETIC_PERIOD = "23A23B"
SPARK_TYPES = {"string": "string", "date": "date", "int64": "bigint"}

# A test-sized Spark: one core, one shuffle partition, no UI or progress bars, UTC, and no code
# generation (compiling Java for each of ~80 small queries costs more than running them; the
# interpreted expressions have the same semantics), in a JVM that only JIT-compiles quickly (C1).
SPARK_CONFIG = {
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
}


SparkRunner = spark_runner.SparkData


def register(spark: SparkSession, duck: store.DuckDBData) -> None:
    """The contract tables of ``duck`` as Spark views, and the fact tables built from them."""
    present = {row[0] for row in duck.con.execute("SHOW TABLES").fetchall()}
    # Arrow keeps the types: DATE as DateType, BIGINT as LongType, VARCHAR as StringType.
    spark_runner.register(spark, {
        name: spark.createDataFrame(duck.con.table(name).to_arrow_table())
        for name in contract.TABLES_BY_NAME if name in present})


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[1]").appName("practicehub-outcomes-tests")
    for key, value in SPARK_CONFIG.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def datasets(
    spark: SparkSession, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[store.DuckDBData, SparkRunner]]]:
    """Per data set: the DuckDB data and a Spark runner over a copy of the same tables."""
    folder = tmp_path_factory.mktemp("spark")
    synthetic.generate(folder / "synthetic", SYNTHETIC_EPISODES, 5)
    directories = {"synthetic": folder / "synthetic",
                   "hand_built": hand_built(folder / "hand_built")}
    loaded: dict[str, tuple[store.DuckDBData, SparkRunner]] = {}
    for name, directory in directories.items():
        duck = store.load_directory(Path(directory))
        session = spark.newSession()
        register(session, duck)
        loaded[name] = (duck, SparkRunner(session))
    yield loaded
    for duck, _ in loaded.values():
        duck.close()


def _compare(data: tuple[store.DuckDBData, SparkRunner], period: str,
             by: tuple[str, ...]) -> dict[str, list[ResultRow]]:
    duck, runner = data
    rows: dict[str, list[ResultRow]] = {}
    for measure_id in MEASURES:
        arguments: dict[str, Any] = {"by": by, "measures": [measure_id], "suppress": False}
        expected = computing.compute(duck, parse_period(period), **arguments).rows
        rows[measure_id] = computing.compute(runner, parse_period(period), **arguments).rows
        assert_same_rows(expected, rows[measure_id])
    return rows


def test_the_contract_tables_reach_spark_with_their_types(
    datasets: dict[str, tuple[store.DuckDBData, SparkRunner]],
) -> None:
    _, runner = datasets["hand_built"]
    for spec in contract.TABLES:
        if spec.optional:
            continue
        schema = runner.spark.table(spec.name).schema
        got = {field.name: field.dataType.simpleString() for field in schema.fields}
        want = {name: SPARK_TYPES[str(kind).lstrip("!")]
                for name, kind in ibis_schema(spec).items()}
        assert got == want, spec.name


@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "-".join(by) or "total")
def test_every_measure_gives_duckdbs_rows_on_spark_for_the_hand_built_cases(
    datasets: dict[str, tuple[store.DuckDBData, SparkRunner]], by: tuple[str, ...],
) -> None:
    _compare(datasets["hand_built"], HAND_BUILT_PERIOD, by)


@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "-".join(by) or "total")
def test_every_measure_gives_duckdbs_rows_on_spark_for_synthetic_data(
    datasets: dict[str, tuple[store.DuckDBData, SparkRunner]], by: tuple[str, ...],
) -> None:
    rows = _compare(datasets["synthetic"], SYNTHETIC_PERIOD, by)
    if by:
        # Not vacuous: every measure counted something on Spark.
        empty = [measure for measure, measured in rows.items()
                 if not sum(row.numerator or 0 for row in measured)]
        assert not empty, empty


def test_spark_is_sent_each_measure_as_its_own_query_with_duckdbs_rows(
    datasets: dict[str, tuple[store.DuckDBData, SparkRunner]],
) -> None:
    duck, runner = datasets["synthetic"]
    recording = TimedRunner(runner)  # it keeps the SQL it passed on
    period = parse_period(SYNTHETIC_PERIOD)
    expected = computing.compute(duck, period, by=("county",), suppress=False)
    got = computing.compute(recording, period, by=("county",), suppress=False)
    assert_same_rows(expected.rows, got.rows)
    params = MeasureParams.build(period, ("county",))
    measured = tuple(measure_id for measure_id, spec in MEASURES.items()
                     if grouping_problem(spec, params) is None)
    assert {row.measure for row in got.rows} == set(measured)
    per_measure = {computing.compiled_sql(measure_id, params, "pyspark") for measure_id in measured}
    assert per_measure <= set(recording.sent)
    assert computing.compiled_pass(measured, params, "pyspark") not in recording.sent
