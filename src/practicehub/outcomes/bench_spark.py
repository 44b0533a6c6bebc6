"""``practicehub bench outcomes --engine spark``: Spark against DuckDB on the same prepared tables
in one run (each engine in its own process), with the ratio, the JVM's peak memory and the rows
compared. The shared phase machinery is ``outcomes/bench.py``'s."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb

from practicehub.outcomes.bench import (
    BY,
    DEFAULT_SEED,
    PERIOD,
    REPO,
    Row,
    TimedRunner,
    _cell,
    _emit,
    _inline,
    _ratio,
    _ratio_cell,
    _timed,
    run_phase,
    write_results,
)
from practicehub.outcomes.data import spark_runner, store, synthetic
from practicehub.outcomes.engine import computing
from practicehub.outcomes.engine.measures import MEASURES
from practicehub.outcomes.engine.periods import parse_period

SPARK_PHASES = ("prepare", "duckdb", "spark")


def _result_rows(rows: Sequence[Any]) -> list[Row]:
    return [{"measure": row.measure, **dict(row.groups), "numerator": row.numerator,
             "denominator": row.denominator, "value": row.value,
             "data_quality": row.data_quality} for row in rows]


def prepare_phase(arguments: str) -> None:
    """Child process: validate and load the data folder as a computation does and write the
    tables both engines read (``spark_runner.prepare``), print JSON."""
    data, work = arguments.split("\n")
    began = time.perf_counter()
    spark_runner.prepare(Path(data), Path(work))
    _emit(time.perf_counter() - began)


def _all_measures(runner: computing.Runner) -> tuple[float, list[Row]]:
    began = time.perf_counter()
    result = computing.compute(runner, parse_period(PERIOD), by=BY, suppress=False)
    return time.perf_counter() - began, _result_rows(result.rows)


def duckdb_phase(work: str) -> None:
    """Child process: DuckDB (in memory) reads the prepared tables, builds the fact tables and
    computes every measure; print JSON."""
    began = time.perf_counter()
    con = duckdb.connect()
    for path in sorted(Path(work).glob("*.parquet")):
        source = str(path).replace("'", "''")
        con.execute(f"CREATE TABLE {path.stem} AS SELECT * "  # noqa: S608  (file names)
                    f"FROM read_parquet('{source}')")
    loaded = time.perf_counter()
    store.create_fact_tables(con)
    built = time.perf_counter()
    seconds, rows = _all_measures(_DuckRunner(con))
    _emit(loaded - began + (built - loaded) + seconds, read_seconds=loaded - began,
          facts_seconds=built - loaded, measures_seconds=seconds, rows=rows)


class _DuckRunner:
    dialect = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def fetch(self, sql: str) -> list[Row]:
        cursor = self.con.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def spark_phase(work: str) -> None:
    """Child process: a local SparkSession (``spark_runner.session_config``) reads the prepared
    tables, caches the fact tables and computes every measure; print JSON."""
    began = time.perf_counter()
    spark = spark_runner.spark_session()
    started = time.perf_counter()
    tables = {path.stem: spark.read.parquet(str(path))
              for path in sorted(Path(work).glob("*.parquet"))}
    spark_runner.register(spark, tables, lazy=False, progress=_progress(started))
    built = time.perf_counter()
    _progress(started)(f"fact tables built in {built - started:.0f} s")
    seconds, rows = _all_measures(_Announcing(spark_runner.SparkData(spark), built))
    config = spark.sparkContext.getConf()
    jvm = spark_runner.jvm_peak_rss_mb(spark)
    _emit(built - started + seconds, start_seconds=started - began,
          facts_seconds=built - started, measures_seconds=seconds,
          master=config.get("spark.master"),
          shuffle_partitions=spark.conf.get("spark.sql.shuffle.partitions"),
          driver_memory=config.get("spark.driver.memory", "1g"), jvm_peak_rss_mb=jvm,
          rows=rows)
    spark.stop()


def _progress(began: float) -> Callable[[str], None]:
    """Where a phase has got to, on standard error: what a stopped phase reports."""
    def say(message: str) -> None:
        print(f"progress: {message}, {time.perf_counter() - began:.0f} s in", file=sys.stderr,
              flush=True)

    return say


class _Announcing(TimedRunner):
    """A Runner that says how many queries it has answered."""

    def __init__(self, runner: computing.Runner, began: float) -> None:
        super().__init__(runner)
        self.say = _progress(began)

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        rows = super().fetch(sql)
        self.say(f"{len(self.seconds)} measure queries answered after the fact tables")
        return rows


def same_rows(first: list[Row], second: list[Row]) -> bool:
    """Same groups, counts and marks, values within 1e-9."""
    def key(row: Row) -> tuple[Any, ...]:
        return tuple(str(row.get(name)) for name in ("measure", *BY))

    if len(first) != len(second):
        return False
    for a, b in zip(sorted(first, key=key), sorted(second, key=key), strict=True):
        if {k: v for k, v in a.items() if k != "value"} != {
                k: v for k, v in b.items() if k != "value"}:
            return False
        if (a["value"] is None) != (b["value"] is None) or (
                a["value"] is not None and abs(a["value"] - b["value"]) > 1e-9):
            return False
    return True


def spark_size(episodes: int, seed: int, folder: Path, reuse: bool = False,
               timeout: float | None = None) -> Row:
    """Spark against DuckDB on one size: generate (unless ``reuse``), prepare once, then each
    engine from the same prepared tables."""
    data, work = folder / "data", folder / "prepared"
    generate_seconds = None
    prepare: Row = {"skipped": "prepared by the run that generated the data"}
    if not reuse or not work.is_dir():
        if not reuse:
            generate_seconds = _timed(lambda: synthetic.generate(data, episodes, seed))
        prepare = run_phase(_inline("prepare_phase", f"{data}\n{work}", "bench_spark"))
    duck = run_phase(_inline("duckdb_phase", work, "bench_spark"))
    spark = run_phase(_inline("spark_phase", work, "bench_spark"), timeout=timeout)
    duck_rows, spark_rows = duck.pop("rows", None), spark.pop("rows", None)
    with_start = None
    if "seconds" in spark and "seconds" in duck:
        with_start = (spark["seconds"] + spark["start_seconds"]) / max(duck["seconds"], 1e-9)
    return {
        "episodes": episodes, "generate_seconds": generate_seconds, "prepare": prepare,
        "duckdb": duck, "spark": spark, "spark_over_duckdb": _ratio(spark, duck),
        "spark_with_start_over_duckdb": with_start,
        "same_rows": None if duck_rows is None or spark_rows is None
        else same_rows(duck_rows, spark_rows),
        "rows": len(duck_rows or []),
    }


def spark_sizes(counts: Sequence[int], seed: int, keep: bool,
                timeout: float | None = None) -> list[Row]:
    results = []
    for episodes in counts:
        folder = Path(tempfile.mkdtemp(prefix=f"practicehub-bench-spark-{episodes}-"))
        try:
            result = spark_size(episodes, seed, folder, timeout=timeout)
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
        result["kept_in"] = str(folder) if keep else None
        results.append(result)
    return results


def _reused_spark_size(folder: Path, timeout: float | None) -> Row:
    data = folder / "data" / "episodes.parquet"
    with duckdb.connect() as con:
        path = str(data).replace("'", "''")
        (episodes,) = con.execute(
            f"SELECT count(*) FROM read_parquet('{path}')").fetchone() or (0,)  # noqa: S608
    result = spark_size(int(episodes), DEFAULT_SEED, folder, reuse=True, timeout=timeout)
    result["kept_in"] = str(folder)
    return result


def run_spark(options: dict[str, Any], counts: list[int], seed: int, reuse: str | None) -> Row:
    timeout = options.get("timeout")
    memory = Path("/proc/meminfo")
    total_mb = None
    if memory.is_file():
        total_mb = int(memory.read_text().split()[1]) // 1024
    report: Row = {
        "area": "outcomes", "engine": "spark", "period": PERIOD, "by": list(BY),
        "measures": len(MEASURES), "seed": seed, "cpus": os.cpu_count(), "memory_mb": total_mb,
        "load_average": os.getloadavg(), "spark_config": spark_runner.session_config(),
        "sizes": [_reused_spark_size(Path(reuse), timeout)] if reuse
        else spark_sizes(counts, seed, bool(options.get("keep")), timeout),
    }
    results_dir = Path(options.get("results_dir") or REPO / "benchmarks" / "results")
    report["results_file"] = str(write_results(report, results_dir, "outcomes-spark"))
    return report


def render_spark(report: Row) -> str:
    """Spark against DuckDB: per size, seconds of each phase and the ratio."""
    lines = [f"{report['measures']} measures by {' × '.join(report['by'])}, period "
             f"{report['period']}, seed {report['seed']}, {report['cpus']} CPUs, "
             f"{report['spark_config']['spark.master']}, shuffle partitions "
             f"{report['spark_config']['spark.sql.shuffle.partitions']}",
             f"{'episodes':>11}{'gen s':>8}{'prepare s':>10}{'duckdb s':>10}{'facts':>8}"
             f"{'MB':>8}{'spark s':>9}{'start':>7}{'facts':>8}{'JVM MB':>8}{'spark÷duckdb':>14}"
             f"{'with start':>12}{'same':>6}"]
    for size in report["sizes"]:
        duck, spark = size["duckdb"], size["spark"]
        lines.append(
            f"{size['episodes']:>11,}{_cell(size, 'generate_seconds', 8)}"
            f"{_cell(size['prepare'], 'seconds', 10)}{_cell(duck, 'seconds', 10)}"
            f"{_cell(duck, 'facts_seconds', 8)}{_cell(duck, 'peak_rss_mb', 8)}"
            f"{_cell(spark, 'seconds', 9)}{_cell(spark, 'start_seconds', 7)}"
            f"{_cell(spark, 'facts_seconds', 8)}{_cell(spark, 'jvm_peak_rss_mb', 8)}"
            f"{_ratio_cell(size['spark_over_duckdb']):>14}"
            f"{_ratio_cell(size['spark_with_start_over_duckdb'])}{size['same_rows']!s:>6}")
        for phase in SPARK_PHASES:
            reason = size[phase].get("error")
            if reason:
                lines.append(f"{size['episodes']:,} episodes, {phase}: {reason}")
        if size["kept_in"]:
            lines.append(f"{size['episodes']:,} episodes: data kept in {size['kept_in']}")
    lines.append(f"Report written to {report['results_file']}")
    return "\n".join(lines)
