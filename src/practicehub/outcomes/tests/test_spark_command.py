"""``practicehub outcomes compute --engine spark``: DuckDB's rows, from a partitioned dataset too.

One local Spark session for the module (``spark_runner.spark_session`` with a test-sized
``PRACTICEHUB_SPARK_CONF``: one shuffle partition, no code generation, the JVM's quick JIT; the
same settings as ``test_spark.py``), two measures on 300 synthetic episodes: the JVM's start and a
fixed cost per query are most of the time, so a small set covers the command as well as a large
one. Skipped only where Java or pyspark is missing; CI installs a JDK (``scripts/bootstrap``).
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.outcomes.data import spark_runner, synthetic, validation

MEASURES = "permanency_12m_entries,placement_moves_per_1000_days"
COMPUTE = ("compute", "--period", "23A23B", "--by", "county,race_ethnicity",
           "--measures", MEASURES, "--no-suppress")
SMALL_SPARK = ";".join([
    "spark.master=local[1]",
    "spark.sql.shuffle.partitions=1",
    "spark.sql.adaptive.enabled=false",
    "spark.sql.codegen.wholeStage=false",
    "spark.sql.codegen.factoryMode=NO_CODEGEN",
    "spark.driver.memory=1g",
])
needs_spark = pytest.mark.skipif(spark_runner.unavailable() is not None,
                                 reason=str(spark_runner.unavailable()))


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("outcomes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same synthetic data as contract files, and with episodes as a dataset partitioned by
    county (the county column only in the folder names, as a lake would hold it)."""
    base = tmp_path_factory.mktemp("spark-command")
    files = base / "files"
    synthetic.generate(files, 300, 5)
    lake = base / "lake"
    shutil.copytree(files, lake)
    (lake / "episodes.parquet").unlink()
    with duckdb.connect() as con:
        copy = (f"COPY (SELECT * FROM read_parquet('{files / 'episodes.parquet'}')) "  # noqa: S608
                f"TO '{lake / 'episodes'}' (FORMAT parquet, PARTITION_BY (county))")
        con.execute(copy)
    return {"files": files, "lake": lake}


@pytest.fixture(scope="module")
def small_spark() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(spark_runner.CONF_ENV, SMALL_SPARK)
        # Started once with these settings, reused by every command of the module.
        session = spark_runner.spark_session()
        yield
        session.stop()


def test_a_partitioned_folder_is_read_with_its_county_codes_as_text(
    folders: dict[str, Path],
) -> None:
    partitions = sorted(path.name for path in (folders["lake"] / "episodes").iterdir())
    assert partitions[0] == "county=06001"
    report = validation.validate_directory(folders["lake"])
    assert report.ok, report.format()
    files = validation.validate_directory(folders["files"])
    assert report.rows["episodes/"] == files.rows["episodes.parquet"] == 300


def test_a_bad_value_in_a_partitioned_folder_is_named_as_in_a_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    synthetic.generate(data, 60, 2)
    table = pq.read_table(data / "episodes.parquet")
    reasons = table.column("discharge_reason").to_pylist()
    row = next(n for n, reason in enumerate(reasons) if reason)
    reasons[row] = "vanished"
    table = table.set_column(table.schema.get_field_index("discharge_reason"),
                             "discharge_reason", [reasons])
    pq.write_table(table, data / "episodes.parquet")
    as_file = validation.validate_directory(data)
    (data / "episodes").mkdir()
    (data / "episodes.parquet").rename(data / "episodes" / "part-0.parquet")
    as_folder = validation.validate_directory(data)
    (file_problem,) = [p for p in as_file.problems if p.rule == "unknown_code"]
    (folder_problem,) = [p for p in as_folder.problems if p.rule == "unknown_code"]
    assert str(file_problem).startswith(f"episodes.parquet, row {row + 1}, column "
                                        "discharge_reason: unknown code 'vanished'")
    assert str(folder_problem) == str(file_problem).replace("episodes.parquet", "episodes/", 1)


@needs_spark
@pytest.mark.usefixtures("small_spark")
def test_compute_on_spark_gives_duckdbs_rows_from_files_and_a_partitioned_lake(
    folders: dict[str, Path],
) -> None:
    duck, _ = run(*COMPUTE, "--data", str(folders["files"]))
    spark, _ = run(*COMPUTE, "--data", str(folders["lake"]), "--engine", "spark")
    assert spark == duck
    lines = duck.splitlines()
    assert lines[0].startswith("measure,period_start,period_end,county,race_ethnicity,")
    # Not vacuous: both measures counted something.
    counted = {line.split(",")[0] for line in lines[1:] if line.split(",")[5] not in ("", "0")}
    assert counted == set(MEASURES.split(","))


@needs_spark
@pytest.mark.usefixtures("small_spark")
def test_a_url_read_by_spark_is_refused_naming_the_file_and_column_as_duckdb_does(
    folders: dict[str, Path], tmp_path: Path,
) -> None:
    data = tmp_path / "lake"
    shutil.copytree(folders["files"], data)
    table = pq.read_table(data / "placements.parquet")
    pq.write_table(table.drop(["start_date"]), data / "placements.parquet")
    with pytest.raises(CommandError):
        run("validate", "--data", str(data))
    duck_problems = [str(problem) for problem in validation.validate_directory(data).problems
                     if problem.rule == "missing_column"]
    err = io.StringIO()
    with pytest.raises(CommandError, match="the data break the contract"):
        call_command("outcomes", "validate", "--engine", "spark", "--data", data.as_uri(),
                     stdout=io.StringIO(), stderr=err)
    assert duck_problems == ["placements.parquet, column start_date: required column missing "
                             "(the file has: episode_id, end_date, setting)"]
    assert duck_problems[0] in err.getvalue()


def test_spark_is_asked_for_data_and_tells_a_misspelt_measure_before_starting() -> None:
    with pytest.raises(CommandError, match="unknown measure p9"):
        run("compute", "--engine", "spark", "--data", "anywhere", "--period", "23A23B",
            "--measures", "p9")
    if spark_runner.unavailable() is None:
        with pytest.raises(CommandError, match="--engine spark needs --data"):
            run("compute", "--engine", "spark", "--period", "23A23B")


@needs_spark
def test_an_invalid_folder_gets_duckdbs_report_before_spark_starts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    synthetic.generate(data, 60, 2)
    table = pq.read_table(data / "children.parquet")
    births = table.column("birth_date").to_pylist()
    births[3] = "2019-02-30"
    pq.write_table(table.set_column(table.schema.get_field_index("birth_date"), "birth_date",
                                    [[str(day) if day else None for day in births]]),
                   data / "children.parquet")
    reports = []
    for engine in ("duckdb", "spark"):
        err = io.StringIO()
        with pytest.raises(CommandError, match="the data break the contract"):
            call_command("outcomes", *COMPUTE, "--data", str(data), "--engine", engine,
                         stdout=io.StringIO(), stderr=err)
        reports.append(err.getvalue())
    assert reports[0] == reports[1]
    assert "children.parquet, row 4, column birth_date: malformed date '2019-02-30'" in reports[1]
