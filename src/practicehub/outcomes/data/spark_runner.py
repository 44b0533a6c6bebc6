"""Spark as an engine: ``practicehub outcomes compute --engine spark --data PATH``.

Three steps, each done once per run:

1. **Check and prepare** (:func:`prepare`). A local data folder — the contract's files
   (``episodes.parquet``, ``episodes.csv``) or a Parquet dataset per table (``episodes/``, also
   partitioned ``episodes/county=06019/part-0.parquet``) — is validated and loaded by exactly the
   code a DuckDB computation runs (``store.load_directory``): the same problem report, the same
   data-quality flags and set-aside children. The typed contract tables and the data-quality
   report are then written as Parquet into a work folder. A URL (``s3a://…``, ``hdfs://…``,
   ``abfss://…``) is read by Spark itself (:func:`read_dataset`): its schema is checked against
   the contract (a required column missing, a column of the wrong type) with the messages
   validation gives, and the value rules and data-quality checks are not run (the command says
   so).
2. **Fact tables** (:func:`register`): the contract tables become views over their Parquet, and
   each fact table (``facts.fact_queries``) is built once with ``CACHE TABLE … AS`` and read
   from memory by every measure, instead of a view recomputed by each of ~80 queries.
3. **Measures**: :class:`SparkData` is an engine Runner; ``computing.compute`` sends it the
   compiled Spark SQL.

The session (:func:`spark_session`) is local by default, with settings sized to the machine
(:func:`session_config`); ``PRACTICEHUB_SPARK_MASTER`` points it at a cluster, and
``PRACTICEHUB_SPARK_CONF`` adds any setting.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from practicehub.outcomes.data import store
from practicehub.outcomes.data.validation import Checks, Problem, ValidationReport
from practicehub.outcomes.engine import contract, facts
from practicehub.outcomes.engine.marks import REPORT_TABLE
from practicehub.outcomes.engine.tables import ContractTables, ibis_schema

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MASTER_ENV = "PRACTICEHUB_SPARK_MASTER"
CONF_ENV = "PRACTICEHUB_SPARK_CONF"
DRIVER_MEMORY_ENV = "PRACTICEHUB_SPARK_DRIVER_MEMORY"
# Where the prepared tables of a local folder go (default: the system's temporary folder). On a
# cluster every executor must read them: a shared mount.
WORK_DIR_ENV = "PRACTICEHUB_SPARK_WORK_DIR"
# A local driver holds every table and shuffle; this share of the memory available at start.
LOCAL_MEMORY_SHARE = 0.5
# Shuffle partitions per core (see session_config).
PARTITIONS_PER_CORE = 2
Progress = Callable[[str], None]
SPARK_TYPES = {"string": "string", "date": "date", "int64": "bigint"}
# A local session logs errors only: its start-up warnings (the host name, native Hadoop
# libraries) say nothing about the data.
LOG4J2 = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""


def _quiet(_: str) -> None:
    """Progress callback that reports nothing."""


def is_url(path: str) -> bool:
    """A location Spark reads itself (``s3a://``, ``hdfs://``, ``file://``…), not a local path."""
    return "://" in path


def unavailable() -> str | None:
    """Why Spark cannot start here (no pyspark, no Java), or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install pyspark, or the project's dev extra)"
    java_home = os.environ.get("JAVA_HOME")
    if shutil.which("java") is None and not (java_home and Path(java_home, "bin", "java").exists()):
        return "no Java: Spark needs a JVM (Java 17 or later) on PATH or in JAVA_HOME"
    return None


def _available_mb() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 4096


def session_config(cores: int | None = None, master: str | None = None) -> dict[str, str]:
    """The settings of the session :func:`spark_session` starts.

    ``spark.sql.shuffle.partitions`` is two per core, not Spark's 200: every measure is a query
    with a few shuffles, and on one machine 200 partitions mean 200 tasks per shuffle, almost
    all of a few kilobytes, whose scheduling costs more than their work (the 200,000-episode run
    took 210 s with 200 and 62 s with 2 on 2 cores). Two per core keeps every core busy when one
    task is larger than the others; adaptive execution (on) merges any that end up tiny. On a
    cluster, set it to two or three times the executors' cores with ``PRACTICEHUB_SPARK_CONF``.
    Partition folders (``county=06019``) are read as text, as the contract's codes are (type
    inference would make 06019 the number 6019). Dates are read and compared in UTC.
    """
    cores = cores or os.cpu_count() or 1
    chosen = master or os.environ.get(MASTER_ENV) or f"local[{cores}]"
    config = {
        "spark.master": chosen,
        "spark.app.name": "practicehub-outcomes",
        "spark.sql.shuffle.partitions": str(PARTITIONS_PER_CORE * cores),
        "spark.sql.adaptive.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
    }
    if chosen.startswith("local"):
        memory = os.environ.get(DRIVER_MEMORY_ENV) or (
            f"{max(1024, int(_available_mb() * LOCAL_MEMORY_SHARE))}m")
        config |= {
            # Local mode runs everything in the driver's JVM, which defaults to 1 GB.
            "spark.driver.memory": memory,
            "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{_log_config()}",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.driver.host": "127.0.0.1",
            "spark.ui.enabled": "false",
        }
    for item in os.environ.get(CONF_ENV, "").split(";"):
        key, sep, value = item.partition("=")
        if sep and key.strip():
            config[key.strip()] = value.strip()
    return config


def _log_config() -> Path:
    path = Path(tempfile.gettempdir()) / "practicehub-spark-log4j2.properties"
    if not path.is_file() or path.read_text(encoding="utf-8") != LOG4J2:
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(LOG4J2, encoding="utf-8")
        os.replace(partial, path)
    return path


def spark_session(config: dict[str, str] | None = None) -> SparkSession:
    """The running SparkSession, or a new one with :func:`session_config`'s settings (settings
    a running session was started with, such as its master and memory, stay as they were)."""
    from pyspark.sql import SparkSession

    settings = config or session_config()
    if settings.get("spark.master", "").startswith("local"):
        # Spark otherwise looks up the host's address and warns when it is a loopback one.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def jvm_peak_rss_mb(spark: SparkSession) -> float | None:
    """The peak resident memory of a local session's JVM (``VmHWM``), if it can be read."""
    gateway = getattr(spark.sparkContext, "_gateway", None)
    process = getattr(gateway, "proc", None)
    try:
        status = Path(f"/proc/{process.pid}/status").read_text()  # type: ignore[union-attr]
    except (AttributeError, OSError):
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


@dataclass
class SparkData:
    """Outcome tables in a SparkSession: an engine Runner (``computing.compute``)."""

    spark: SparkSession
    report: ValidationReport = field(default_factory=ValidationReport)
    warnings: list[str] = field(default_factory=list)
    work: Path | None = None
    dialect: str = "pyspark"
    version: str = ""

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        # The measures' columns arrive as plain Python already: STRING as str, BIGINT as int,
        # DOUBLE as float, NULL as None.
        return [row.asDict() for row in self.spark.sql(sql).collect()]

    def close(self) -> None:
        """Drop the cached tables and the work folder (the session stays for the next run)."""
        for name in facts.FACTS:
            self.spark.sql(f"UNCACHE TABLE IF EXISTS {name}")
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)


def prepare(data_dir: Path, work: Path, *, progress: Progress = _quiet,
            checks: Checks = store.IN_MEMORY_CHECKS) -> ValidationReport:
    """Validate and load ``data_dir`` as a DuckDB computation does, then write the typed contract
    tables and the data-quality report into ``work`` as Parquet (one file per table); raise
    ``store.InvalidDataError`` with the report when the data break the contract."""
    data = store.load_directory(data_dir, progress=progress, checks=checks)
    try:
        present = {row[0] for row in data.con.execute("SHOW TABLES").fetchall()}
        work.mkdir(parents=True, exist_ok=True)
        progress("writing tables for Spark")
        for name in (*contract.TABLES_BY_NAME, REPORT_TABLE):
            if name in present:
                target = str(work / f"{name}.parquet").replace("'", "''")
                data.con.execute(f"COPY {name} TO '{target}' (FORMAT parquet)")
        return data.report
    finally:
        data.close()


def _spark_type(field_type: Any) -> str:
    return str(field_type.simpleString())


def _typed(frame: DataFrame, spec: contract.TableSpec, name: str,
           problems: list[Problem]) -> DataFrame | None:
    """The contract columns of a dataset read by Spark, typed as ``tables.ibis_schema``; the
    schema's problems are added to ``problems`` with validation's rules and messages."""
    from pyspark.sql import functions as f

    types = {column.name: _spark_type(column.dataType) for column in frame.schema.fields}
    found = ", ".join(types)
    missing = [column.name for column in spec.columns
               if column.required and column.name not in types]
    problems += [Problem("missing_column", name,
                         f"required column missing (the file has: {found[:200]})", column=column)
                 for column in missing]
    wanted = {key: SPARK_TYPES[str(kind).lstrip("!")]
              for key, kind in ibis_schema(spec).items()}
    selected = []
    for column in spec.columns:
        target = wanted[column.name]
        if column.name not in types:
            selected.append(f.lit(None).cast(target).alias(column.name))
            continue
        have = types[column.name]
        value = f.col(f"`{column.name}`")
        if target == "date" and have == "string":
            # A real date written YYYY-MM-DD, as validation reads text dates; else NULL.
            value = f.when(value.rlike("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
                           f.expr(f"try_to_date(`{column.name}`, 'yyyy-MM-dd')"))
        elif target == "date" and have != "date":
            problems.append(Problem(
                "malformed_date", name,
                f"column holds {have}, not dates (expected DATE or text YYYY-MM-DD)",
                column=column.name))
            continue
        elif target == "bigint" and have not in ("bigint", "int", "smallint", "tinyint"):
            problems.append(Problem(
                "malformed_integer", name, f"column holds {have}, not whole numbers",
                column=column.name))
            continue
        elif target == "string":
            value = f.when(f.trim(value.cast("string")) != "", value.cast("string"))
        selected.append(value.cast(target).alias(column.name))
    if len(selected) != len(spec.columns):
        return None
    if spec.name == "placements":
        # The file order within the dataset, as an import numbers it.
        selected.append(f.monotonically_increasing_id().alias(contract.PLACEMENT_ORDER_COLUMN))
    return frame.select(*selected)


def read_dataset(spark: SparkSession, url: str) -> tuple[ValidationReport, dict[str, DataFrame]]:
    """The contract tables under ``url`` (``URL/episodes`` or ``URL/episodes.parquet``, a file or
    a partitioned folder), read and typed by Spark; the report names what is missing or of the
    wrong type. Value rules and data-quality checks are not run here."""
    from pyspark.errors import AnalysisException

    report = ValidationReport()
    tables: dict[str, DataFrame] = {}
    base = url.rstrip("/")
    for spec in contract.TABLES:
        frame = None
        for candidate in (f"{base}/{spec.name}.parquet", f"{base}/{spec.name}"):
            try:
                frame = spark.read.parquet(candidate)
            except AnalysisException:
                continue
            label = candidate.rsplit("/", 1)[-1]
            break
        if frame is None:
            if not spec.optional:
                report.add([Problem("missing_file", f"{spec.name}.parquet",
                                    f"required table {spec.name} not found (expected "
                                    f"{base}/{spec.name}.parquet or {base}/{spec.name}/)")])
            continue
        problems: list[Problem] = []
        typed = _typed(frame, spec, label, problems)
        for problem in problems:
            report.add([problem])
        if typed is not None:
            tables[spec.name] = typed
    if report.ok:
        report.rows = {name: int(frame.count()) for name, frame in tables.items()}
    return report, tables


def register(spark: SparkSession, tables: dict[str, DataFrame], *,
             progress: Progress = _quiet, lazy: bool = True) -> None:
    """The contract tables as views, then each fact table built once and cached (memory, then
    disk), read from there by every measure. ``lazy``: each is built when a measure first reads
    it, so a run of a few measures never builds the facts they do not read; else all now."""
    for name, frame in tables.items():
        frame.createOrReplaceTempView(name)
    for name, query in facts.fact_queries(ContractTables.unbound(), "pyspark").items():
        progress(f"caching {name}")
        spark.sql(f"CACHE {'LAZY ' if lazy else ''}TABLE {name} AS {query}")


def _read_prepared(spark: SparkSession, work: Path) -> dict[str, DataFrame]:
    return {path.stem: spark.read.parquet(str(path)) for path in sorted(work.glob("*.parquet"))}


def open_spark(path: str, *, spark: SparkSession | None = None, progress: Progress = _quiet,
               checks: Checks = store.IN_MEMORY_CHECKS,
               work_dir: Path | None = None) -> SparkData:
    """The data at ``path`` (a local folder or a URL Spark reads) in Spark, ready for
    ``computing.compute``; raise ``store.InvalidDataError`` when they break the contract."""
    if is_url(path):
        session = spark or spark_session()
        report, tables = read_dataset(session, path)
        if not report.ok:
            raise store.InvalidDataError(report)
        register(session, tables, progress=progress)
        return SparkData(session, report, warnings=[
            f"{path} was read by Spark: its schema was checked, not its values or data quality "
            "(run `practicehub outcomes validate` on a local copy for those)"])
    work = Path(tempfile.mkdtemp(prefix="practicehub-spark-",
                                 dir=work_dir or os.environ.get(WORK_DIR_ENV) or None))
    try:
        report = prepare(Path(path), work, progress=progress, checks=checks)
        session = spark or spark_session()
        progress("starting Spark" if spark is None else "reading tables into Spark")
        register(session, _read_prepared(session, work), progress=progress)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return SparkData(session, report, work=work)


@contextmanager
def opened(path: str, **options: Any) -> Iterator[SparkData]:
    data = open_spark(path, **options)
    try:
        yield data
    finally:
        data.close()
