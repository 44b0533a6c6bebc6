"""``practicehub bench outcomes``: every measure by county × race/ethnicity on synthetic data.

For each size: synthetic Parquet data are generated once and imported into a DuckDB file (both
timed, but apart from the measuring); then three phases run, each in a fresh child process so that
its peak RSS is its own: the engine computing every measure, the pandas baseline
(``benchmarks/pandas_baseline.py``) computing the same numbers, and one DuckDB scan of exactly the
columns the measures read (the floor any engine has to pay). The report goes to standard output as
a table and to ``benchmarks/results/`` as JSON.

``--engine spark`` measures Spark against DuckDB in the same run instead (:func:`spark_size`):
the generated data are checked and prepared once (``spark_runner.prepare``, DuckDB: the same
validation, typed tables and data-quality set-aside as any computation), then each engine, in a
child process of its own, builds the fact tables from the same prepared Parquet and computes every
measure by county × race/ethnicity; the rows are compared and the times given as Spark ÷ DuckDB.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import ibis.expr.operations as ops
from ibis.expr.operations.relations import Simple

from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.engine import computing, contract
from practicehub.outcomes.engine.counties import state_counties
from practicehub.outcomes.engine.measures import (
    MEASURES,
    MeasureParams,
    grouping_problem,
    in_pandas_baseline,
)
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.engine.tables import OutcomeTables

DEFAULT_EPISODES = "1000000,10000000"
DEFAULT_SEED = 7
PERIOD = "23A23B"
BY = ("county", "race_ethnicity")
REPO = Path(__file__).resolve().parents[3]
BASELINE = REPO / "benchmarks" / "pandas_baseline.py"
# The pandas phase may use at most this share of the memory available when it starts.
PANDAS_MEMORY_SHARE = 0.8
Row = dict[str, Any]


def add_arguments(parser: Any) -> None:
    parser.add_argument("--episodes", default=DEFAULT_EPISODES,
                        help="Comma-separated data sizes in episodes (default %(default)s).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help="Seed of the synthetic data (default %(default)s).")
    parser.add_argument("--keep", action="store_true",
                        help="Keep the generated data and DuckDB files (their folder is printed).")
    parser.add_argument("--reuse", default=None, metavar="FOLDER",
                        help="Measure the data a --keep run left in FOLDER (one size) instead of "
                             "generating and importing again.")
    parser.add_argument("--results-dir", default=None,
                        help="Where to write the JSON report (default benchmarks/results/).")
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="With --engine spark: stop the Spark phase of a size after this "
                             "long and report that it did not finish.")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                        help="spark: time Spark (local mode, every core) against DuckDB on the "
                             "same prepared data, in the same run (default %(default)s: the "
                             "DuckDB engine against pandas and a plain scan).")


def sizes(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def _base_table(relation: Any) -> Any:
    while isinstance(relation, ops.Reference | Simple):
        relation = relation.parent
    return relation


def used_columns() -> dict[str, list[str]]:
    """``{table: columns}`` that the measures' expressions read from the contract tables."""
    params = MeasureParams.build(parse_period(PERIOD), BY)
    used: dict[str, set[str]] = {}
    for spec in MEASURES.values():
        expr = spec.function(OutcomeTables.unbound(), params)
        for field in expr.op().find(ops.Field):
            table = _base_table(field.rel)
            if isinstance(table, ops.UnboundTable):
                used.setdefault(table.name, set()).add(field.name)
    return {table: sorted(columns) for table, columns in sorted(used.items())}


def scan_sql(table: str, columns: Sequence[str]) -> str:
    """One pass over ``columns`` of ``table`` that DuckDB cannot skip. Without a filter DuckDB
    answers ``count(*)`` and ``min`` of a table whose columns all keep exact statistics from
    those statistics, reading nothing (it did so for ``victim_reports`` and ``population``); a
    filter on the row number that every row passes makes it read every value."""
    minima = ", ".join(f'min("{column}")' for column in columns)
    return (f"SELECT count(*), {minima} FROM {table} "  # noqa: S608  (contract names only)
            "WHERE rowid >= 0")


def _peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM starts afresh at exec; ru_maxrss would also count the
    parent's size at fork, which the child inherits as its starting peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


REPORT_START = '{"seconds": '


def _emit(seconds: float, **extra: Any) -> None:
    print(json.dumps({"seconds": seconds, "peak_rss_mb": _peak_rss_mb(), **extra}, default=str))


def engine_phase(database: str) -> None:
    """Child process: compile and compute every measure on the DuckDB file, print JSON.

    The measures run as one query (``computing.compiled_pass``): ``sql_seconds`` is its time,
    ``marks_seconds`` that of the data-quality marks read after it."""
    data = store.open_database(Path(database))
    params = MeasureParams.build(parse_period(PERIOD), BY)
    measured = tuple(spec.id for spec in MEASURES.values()
                     if grouping_problem(spec, params) is None)
    began = time.perf_counter()
    computing.compiled_pass(measured, params, data.dialect)
    compiled = time.perf_counter()
    timed = TimedRunner(data)
    result = computing.compute(timed, parse_period(PERIOD), by=BY, suppress=False)
    done = time.perf_counter()
    rows = [{"measure": row.measure, **dict(row.groups), "numerator": row.numerator,
             "denominator": row.denominator, "value": row.value} for row in result.rows]
    _emit(done - began, compile_seconds=compiled - began, measures_computed=len(measured),
          sql_seconds=timed.seconds[0], marks_seconds=sum(timed.seconds[1:]), rows=rows)


class TimedRunner:
    """A Runner that remembers each query it passed on (``sent``) and how long it took, in
    order."""

    def __init__(self, runner: computing.Runner) -> None:
        self.runner = runner
        self.sent: list[str] = []
        self.seconds: list[float] = []

    @property
    def dialect(self) -> str:
        return self.runner.dialect

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        self.sent.append(sql)
        began = time.perf_counter()
        rows = self.runner.fetch(sql)
        self.seconds.append(time.perf_counter() - began)
        return rows


def import_phase(arguments: str) -> None:
    """Child process: ``practicehub outcomes import`` of the data folder into a new DuckDB file
    (the state's counties: synthetic data need no organisation tree), print JSON."""
    data, database = arguments.split("\n")
    began = time.perf_counter()
    store.import_directory(Path(data), Path(database), counties=state_counties())
    _emit(time.perf_counter() - began)


def _load_files(con: duckdb.DuckDBPyConnection, data: Path, *, placement_order: bool) -> None:
    """One ``CREATE TABLE … AS SELECT * FROM read_parquet`` per file of ``data``; with
    ``placement_order`` the placements also get the file-order column the facts sort by."""
    for path in sorted(data.glob("*.parquet")):
        source = str(path).replace("'", "''")
        numbered = placement_order and path.stem == "placements"
        select = (f"* EXCLUDE (file_row_number), file_row_number + 1 AS "
                  f"{contract.PLACEMENT_ORDER_COLUMN}" if numbered else "*")
        options = ", file_row_number=true" if numbered else ""
        con.execute(f"CREATE TABLE {path.stem} AS SELECT {select} "  # noqa: S608  (file names)
                    f"FROM read_parquet('{source}'{options})")


def plain_load_phase(arguments: str) -> None:
    """Child process: DuckDB alone loading the same files into a new database file (one
    ``CREATE TABLE … AS SELECT * FROM read_parquet`` per file, then a checkpoint): the floor an
    import is measured against. Print JSON."""
    data, database = arguments.split("\n")
    began = time.perf_counter()
    with duckdb.connect(database) as con:
        _load_files(con, Path(data), placement_order=False)
        con.execute("CHECKPOINT")
    _emit(time.perf_counter() - began)


def facts_floor_phase(arguments: str) -> None:
    """Child process: the plain load, then the fact tables derived from it as an import derives
    them, with no check, no data-quality report and no Parquet copy: the least an import that
    derives the facts (ADR 8) can take. Print JSON."""
    data, database = arguments.split("\n")
    began = time.perf_counter()
    with duckdb.connect(database) as con:
        _load_files(con, Path(data), placement_order=True)
        store.create_fact_tables(con)
        con.execute("CHECKPOINT")
    _emit(time.perf_counter() - began)


IMPORT_PHASES = (("import", "import_phase"), ("plain_load", "plain_load_phase"),
                 ("facts_floor", "facts_floor_phase"))


def import_phases(data: Path, folder: Path) -> dict[str, Row]:
    """The import, the plain DuckDB load of the same files and the facts floor, one after the
    other, each in its own process (its peak RSS its own), into new files that are removed
    afterwards."""
    results = {}
    for name, phase in IMPORT_PHASES:
        target = folder / f"{name}.duckdb"
        results[name] = run_phase(_inline(phase, f"{data}\n{target}"))
        for leftover in (target, store.parquet_dir(target)):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink(missing_ok=True)
    return results


def scan_phase(database: str) -> None:
    """Child process: scan the used columns of every table once, print JSON."""
    data = store.open_database(Path(database))
    queries = [scan_sql(table, columns) for table, columns in used_columns().items()]
    began = time.perf_counter()
    for sql in queries:
        data.fetch(sql)
    _emit(time.perf_counter() - began)


def available_bytes() -> int:
    """MemAvailable from /proc/meminfo, else the free physical memory."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES")


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_phase(argv: list[str], memory_limit: int | None = None,
              env: dict[str, str] | None = None, timeout: float | None = None) -> Row:
    """Run one phase in a child process; its JSON line, or what went wrong (also when it has not
    finished after ``timeout`` seconds: it is then stopped)."""
    began = time.perf_counter()
    try:
        done = subprocess.run(  # noqa: S603  (our interpreter running our own code)
            [sys.executable, *argv], capture_output=True, text=True, check=False,
            preexec_fn=None if memory_limit is None else _limit_memory(memory_limit),
            env=None if env is None else {**os.environ, **env}, timeout=timeout,
        )
    except subprocess.TimeoutExpired as stopped:
        said = stopped.stderr.decode() if isinstance(stopped.stderr, bytes) else stopped.stderr
        progress = [line for line in (said or "").splitlines() if line.startswith("progress: ")]
        return {"error": f"stopped: not finished after {timeout:.0f} s"
                         + (f" ({progress[-1].removeprefix('progress: ')})" if progress else ""),
                "wall_seconds": time.perf_counter() - began}
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        return {"error": lines[-1], "returncode": done.returncode,
                "wall_seconds": time.perf_counter() - began}
    return phase_report(done.stdout)


def phase_report(stdout: str) -> Row:
    """The JSON report a phase printed last (``_emit``: it starts ``{"seconds"``). DuckDB's
    progress bar (shown for queries of over two seconds) is written to the same standard output
    from C, with carriage returns and no newline, so the report may follow it on one line."""
    reports = [line[line.index(REPORT_START):] for line in stdout.splitlines()
               if REPORT_START in line]
    if not reports:
        return {"error": "the phase printed no report", "stdout": stdout[-500:]}
    report: Row = json.loads(reports[-1])
    return report


def _inline(function: str, database: Path | str, module: str = "bench") -> list[str]:
    code = (f"from practicehub.outcomes.{module} import {function}; "
            f"{function}({str(database)!r})")
    return ["-c", code]


def pandas_phase(parquet: Path) -> Row:
    if not BASELINE.is_file():
        return {"skipped": f"{BASELINE} is not there (an installed package has no benchmarks/)"}
    period = parse_period(PERIOD)
    limit = int(available_bytes() * PANDAS_MEMORY_SHARE)
    result = run_phase([str(BASELINE), str(parquet), period.start.isoformat(),
                        period.end.isoformat()], memory_limit=limit)
    result["memory_limit_mb"] = limit / 2**20
    if "error" in result:
        result["skipped"] = (f"pandas failed within a {limit / 2**30:.1f} GB address-space "
                             f"limit: {result['error']}")
    return result


def _key(row: Row) -> tuple[Any, ...]:
    return (row["measure"], *(row.get(name) for name in BY))


def same_numbers(engine_rows: list[Row], pandas_rows: list[Row]) -> bool:
    """Whether both computed the same numerator and denominator for every measure and group
    (of the measures the baseline computes: a measure may opt out in the registry)."""
    compared = in_pandas_baseline()

    def counts(rows: list[Row]) -> dict[tuple[Any, ...], tuple[int, int]]:
        return {_key(row): (int(row["numerator"]), int(row["denominator"])) for row in rows
                if row["measure"] in compared}

    return counts(engine_rows) == counts(pandas_rows)


def _timed(work: Callable[[], Any]) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def _ratio(numerator: Row, denominator: Row) -> float | None:
    if "seconds" not in numerator or "seconds" not in denominator:
        return None
    return float(numerator["seconds"]) / max(float(denominator["seconds"]), 1e-9)


def measure_size(episodes: int, seed: int, folder: Path, reuse: bool = False) -> Row:
    """Generate, import and measure one data size inside ``folder`` (or measure what a kept run
    left there, with ``reuse``: generation and import are then not timed)."""
    data, database = folder / "data", folder / "outcomes.duckdb"
    generate_seconds = import_seconds = None
    skipped: Row = {"skipped": "measured by the run that generated the data"}
    loads = {name: dict(skipped) for name, _ in IMPORT_PHASES}
    if not reuse:
        generate_seconds = _timed(lambda: synthetic.generate(data, episodes, seed))
        loads = import_phases(data, folder)
        import_seconds = _timed(lambda: store.import_directory(data, database))
    # Cold: the on-disk cache of compiled SQL starts empty, so compiling counts in the engine's
    # time. Cached: a second process finds the SQL the first compiled, as a second command-line
    # call or a dashboard server does.
    with tempfile.TemporaryDirectory(prefix="practicehub-bench-sql-") as sql_cache:
        engine_result = run_phase(_inline("engine_phase", database),
                                  env={"PRACTICEHUB_SQL_CACHE": sql_cache})
        cached_result = run_phase(_inline("engine_phase", database),
                                  env={"PRACTICEHUB_SQL_CACHE": sql_cache})
    cached_result.pop("rows", None)
    pandas_result = pandas_phase(store.parquet_dir(database))
    scan_result = run_phase(_inline("scan_phase", database))
    engine_rows, pandas_rows = engine_result.pop("rows", []), pandas_result.pop("rows", None)
    return {
        "episodes": episodes, "generate_seconds": generate_seconds,
        "import_seconds": import_seconds, **loads,
        "import_over_plain_load": _ratio(loads["import"], loads["plain_load"]),
        "facts_floor_over_plain_load": _ratio(loads["facts_floor"], loads["plain_load"]),
        "engine": engine_result, "pandas": pandas_result,
        "scan": scan_result, "engine_over_scan": _ratio(engine_result, scan_result),
        "pandas_over_engine": _ratio(pandas_result, engine_result),
        "engine_cached": cached_result,
        "cached_over_scan": _ratio(cached_result, scan_result),
        "pandas_over_engine_cached": _ratio(pandas_result, cached_result),
        "pandas_matches_engine": None if pandas_rows is None
        else same_numbers(engine_rows, pandas_rows),
        "engine_rows": len(engine_rows),
    }


def measure_sizes(counts: Sequence[int], seed: int, keep: bool) -> list[Row]:
    results = []
    for episodes in counts:
        folder = Path(tempfile.mkdtemp(prefix=f"practicehub-bench-outcomes-{episodes}-"))
        try:
            result = measure_size(episodes, seed, folder)
        finally:
            if not keep:
                shutil.rmtree(folder, ignore_errors=True)
        result["kept_in"] = str(folder) if keep else None
        results.append(result)
    return results


def write_results(report: Row, results_dir: Path, prefix: str = "outcomes") -> Path:
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results_dir / f"{prefix}-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def reused_size(folder: Path) -> Row:
    """Measure the kept data of an earlier run; its size is counted from the episodes."""
    data = store.open_database(folder / "outcomes.duckdb")
    try:
        (episodes,) = data.con.execute("SELECT count(*) FROM episodes").fetchone() or (0,)
    finally:
        data.close()
    result = measure_size(int(episodes), DEFAULT_SEED, folder, reuse=True)
    result["kept_in"] = str(folder)
    return result


def run(options: dict[str, Any]) -> Row:
    """Measure every requested size; return the report (also written as JSON)."""
    counts = sizes(str(options.get("episodes") or DEFAULT_EPISODES))
    seed = int(options.get("seed") or DEFAULT_SEED)
    reuse = options.get("reuse")
    if options.get("engine") == "spark":
        from practicehub.outcomes import bench_spark  # it builds on this module's phases

        return bench_spark.run_spark(options, counts, seed, reuse)
    report: Row = {
        "area": "outcomes", "period": PERIOD, "by": list(BY), "measures": len(MEASURES),
        "seed": seed, "cpus": os.cpu_count(), "used_columns": used_columns(),
        "sizes": [reused_size(Path(reuse))] if reuse
        else measure_sizes(counts, seed, bool(options.get("keep"))),
    }
    results_dir = Path(options.get("results_dir") or REPO / "benchmarks" / "results")
    report["results_file"] = str(write_results(report, results_dir))
    return report


def _cell(phase: Row, key: str, width: int) -> str:
    value = phase.get(key)
    return f"{value:>{width}.1f}" if isinstance(value, int | float) else f"{'-':>{width}}"


def _ratio_cell(value: float | None) -> str:
    return f"{value:>12.1f}" if value is not None else f"{'-':>12}"


def render_imports(report: Row) -> list[str]:
    """Import against DuckDB's own load of the same files, and the facts floor (that load and
    the fact tables, nothing else), per size."""
    lines = [f"{'episodes':>11}{'import s':>10}{'MB':>9}{'plain load s':>14}{'MB':>9}"
             f"{'facts floor s':>15}{'MB':>9}{'import÷plain':>14}{'floor÷plain':>13}"]
    for size in report["sizes"]:
        imported, plain = size.get("import", {}), size.get("plain_load", {})
        floor = size.get("facts_floor", {})
        lines.append(f"{size['episodes']:>11,}{_cell(imported, 'seconds', 10)}"
                     f"{_cell(imported, 'peak_rss_mb', 9)}{_cell(plain, 'seconds', 14)}"
                     f"{_cell(plain, 'peak_rss_mb', 9)}{_cell(floor, 'seconds', 15)}"
                     f"{_cell(floor, 'peak_rss_mb', 9)}"
                     f"{_ratio_cell(size.get('import_over_plain_load')):>14}"
                     f"{_ratio_cell(size.get('facts_floor_over_plain_load')):>13}")
    return lines


def render_size(size: Row) -> str:
    phases = [size[name] for name in ("engine", "engine_cached", "pandas", "scan")]
    cells = "".join(_cell(phase, "seconds", 10) + _cell(phase, "peak_rss_mb", 9)
                    for phase in phases)
    return (f"{size['episodes']:>11,}{_cell(size, 'generate_seconds', 10)}"
            f"{_cell(size, 'import_seconds', 10)}{_cell(size['engine'], 'compile_seconds', 10)}"
            f"{cells}{_ratio_cell(size['engine_over_scan'])}"
            f"{_ratio_cell(size['cached_over_scan'])}"
            f"{_ratio_cell(size['pandas_over_engine'])}"
            f"{_ratio_cell(size['pandas_over_engine_cached'])}"
            f"{size['pandas_matches_engine']!s:>9}")


def render(report: Row) -> str:
    """The report as a table, with the notes (skipped phases, where the JSON went)."""
    if report.get("engine") == "spark":
        from practicehub.outcomes import bench_spark

        return bench_spark.render_spark(report)
    header = (f"{'episodes':>11}{'gen s':>10}{'import s':>10}{'compile s':>10}{'engine s':>10}"
              f"{'MB':>9}{'cached s':>10}{'MB':>9}"
              f"{'pandas s':>10}{'MB':>9}{'scan s':>10}{'MB':>9}{'engine÷scan':>12}"
              f"{'cached÷scan':>12}"
              f"{'pandas÷eng':>12}{'÷cached':>12}{'same':>9}")
    lines = [f"{report['measures']} measures by {' × '.join(report['by'])}, period "
             f"{report['period']}, seed {report['seed']}, {report['cpus']} CPUs", header]
    lines += [render_size(size) for size in report["sizes"]]
    lines += render_imports(report)
    for size in report["sizes"]:
        for phase in ("engine", "engine_cached", "pandas", "scan"):
            reason = size[phase].get("skipped") or size[phase].get("error")
            if reason:
                lines.append(f"{size['episodes']:,} episodes, {phase}: {reason}")
        if size["kept_in"]:
            lines.append(f"{size['episodes']:,} episodes: data kept in {size['kept_in']}")
    lines.append(f"Report written to {report['results_file']}")
    return "\n".join(lines)
