"""``practicehub outcomes``: validate, import, compute and generate outcome data.

The contract of the subcommands is docs/outcomes.md.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from practicehub.outcomes.data import postgres_store, spark_runner, store, synthetic, validation
from practicehub.outcomes.data import quality as quality_report
from practicehub.outcomes.data.federal_file import ConversionError, import_federal_file
from practicehub.outcomes.data.keep import KEPT_SUFFIX, ImportResult
from practicehub.outcomes.data.workfiles import ImportStopped
from practicehub.outcomes.engine import (
    computing,
    contract,
    marks,
    output,
    stock_flow,
    time_to_permanency,
)
from practicehub.outcomes.engine.counties import CountyConfigError
from practicehub.outcomes.engine.measures import MEASURES
from practicehub.outcomes.engine.periods import (
    Period,
    PeriodError,
    parse_date,
    parse_period,
    rolling_periods,
)
from practicehub.outcomes.engine.results import ComputeResult
from practicehub.outcomes.engine.stock_flow import TABLES as COUNT_TABLES
from practicehub.outcomes.services.access import outcome_store
from practicehub.outcomes.services.counties import known_counties

EXIT_INVALID_DATA = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # as a shell reports Ctrl-C
IMPORT_SOURCES = ("directory", "federal-file")
ENGINES = ("duckdb", "spark")
CONFIGURED = ("the configured outcome store: OUTCOMES_DATABASE_URL (or the file "
              "OUTCOMES_DATABASE_URL_FILE names), else the DuckDB file in the data folder")
DATA_HELP = ("data directory, a DuckDB file written by import, or a PostgreSQL URL "
             "(postgresql://…/db?schema=outcomes); default: " + CONFIGURED)
ENGINE_HELP = ("spark: check the data as DuckDB does, then build the fact tables and run the "
               "measures on Spark (local, every core; PRACTICEHUB_SPARK_MASTER for a cluster); "
               "--data is then a data folder (files, or a Parquet folder per table, partitioned "
               "or not) or a URL Spark reads (s3a://…, hdfs://…: its schema is checked)")
STRICT_HELP = ("refuse the data when any record is flagged by a data-quality check (as spec v1 "
               "did); without it flagged children are set aside and the load goes on")


def _names(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


def _periods(period_text: str, rolling: str | None) -> list[Period]:
    """``--period``, or with ``--rolling COUNT[:STEP_MONTHS]`` the rolling periods ending at it."""
    last = parse_period(period_text)
    if rolling is None:
        return [last]
    count_text, colon, step_text = rolling.partition(":")
    try:
        count, step = int(count_text), int(step_text) if colon else 3
    except ValueError:
        raise PeriodError(f"--rolling {rolling!r}: use COUNT or COUNT:STEP_MONTHS, such as "
                          "4 or 4:3") from None
    return rolling_periods(last, count, step)


def _reference_date(options: dict[str, Any]) -> date | None:
    text = options["reference_date"]
    return parse_date(text) if text else None


class Command(BaseCommand):
    help = ("Outcome measures: validate, import, compute, counts, time-to-permanency, generate "
            "(see docs/outcomes.md).")
    # Works on outcome data only (files, DuckDB, PostgreSQL), so it does not wait on (or fail
    # for) the web app's checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        self._add_compute(actions.add_parser("compute", help="compute measures for a period"))
        self._add_counts(actions.add_parser(
            "counts", help="children in care, entries, exits and 4B placement counts"))
        self._add_time_to_permanency(actions.add_parser(
            "time-to-permanency", help="Kaplan–Meier time to permanency of an entry cohort"))
        importer = actions.add_parser("import", help="validate, then load into DuckDB")
        importer.add_argument("--data", required=True, type=Path,
                              help="data directory, or the file given by --from")
        importer.add_argument("--into", help="DuckDB file or PostgreSQL URL "
                                             "(postgresql://…/db?schema=outcomes); default: "
                                             + CONFIGURED)
        importer.add_argument("--from", dest="source", choices=IMPORT_SOURCES,
                              default="directory",
                              help="federal-file: --data is a federal foster care file (AFCARS "
                                   "element names, CSV or Parquet), converted first")
        importer.add_argument("--population", type=Path,
                              help="with --from federal-file: the population table (CSV or "
                                   "Parquet); without it the earlier import's is kept")
        importer.add_argument("--replace-all", action="store_true",
                              help="replace every stored table: a table the data do not hold "
                                   "(no assignments file, say) is emptied instead of kept")
        importer.add_argument("--strict", action="store_true", help=STRICT_HELP)
        checker = actions.add_parser("validate", help="check a data directory")
        checker.add_argument("--data", required=True,
                             help="data directory (with --engine spark also a URL)")
        checker.add_argument("--strict", action="store_true", help=STRICT_HELP)
        checker.add_argument("--engine", choices=ENGINES, default="duckdb",
                             help="spark: a URL's schema is checked by Spark; a folder is "
                                  "checked by DuckDB either way")
        self._add_quality(actions.add_parser(
            "quality", help="the data-quality report: flagged records per check and county"))
        self._add_generate(actions.add_parser("generate", help="write synthetic data"))

    def _add_compute(self, parser: CommandParser) -> None:
        parser.add_argument("--data", help=DATA_HELP)
        parser.add_argument("--period", required=True, help="START:END or a code like 23A23B")
        parser.add_argument("--by", help="dimensions: " + ",".join(contract.DIMENSIONS))
        parser.add_argument("--measures", help="measure ids (default: all): " + ",".join(MEASURES))
        parser.add_argument("--reference-date", help="day for point-in-time measures (YYYY-MM-DD)")
        parser.add_argument("--format", choices=output.FORMATS, default="csv")
        parser.add_argument("--out", type=Path, help="output file (default: standard output)")
        parser.add_argument("--no-suppress", action="store_true",
                            help="show small cells (authorised analysts only)")
        parser.add_argument("--strict", action="store_true",
                            help="with a data directory: " + STRICT_HELP)
        parser.add_argument("--rolling", metavar="COUNT[:STEP_MONTHS]",
                            help="COUNT periods as long as --period, the last being --period, "
                                 "each ending STEP_MONTHS (default 3) before the next")
        parser.add_argument("--engine", choices=ENGINES, default="duckdb", help=ENGINE_HELP)

    def _add_counts(self, parser: CommandParser) -> None:
        parser.add_argument("--data", help=DATA_HELP)
        parser.add_argument("--period", required=True,
                            help="entries and exits in START:END or a code like 23A23B")
        parser.add_argument("--by", help="dimensions: " + ",".join(contract.DIMENSIONS))
        parser.add_argument("--tables", help="tables (default: all): " + ",".join(COUNT_TABLES))
        parser.add_argument("--date", help="day of the in-care count (YYYY-MM-DD; default: the "
                                           "period's last day)")
        parser.add_argument("--format", choices=output.FORMATS, default="csv")
        parser.add_argument("--out", type=Path, help="output file (default: standard output)")
        parser.add_argument("--no-suppress", action="store_true",
                            help="show small cells (authorised analysts only)")

    def _add_time_to_permanency(self, parser: CommandParser) -> None:
        parser.add_argument("--data", help=DATA_HELP)
        parser.add_argument("--period", required=True,
                            help="entry period: START:END or a code like 23A23B")
        parser.add_argument("--by", help="dimensions: " + ",".join(contract.DIMENSIONS))
        parser.add_argument("--reference-date",
                            help="censoring day (default: the latest date in the data)")
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument("--out", type=Path, help="output file (default: standard output)")
        parser.add_argument("--no-suppress", action="store_true",
                            help="show small groups (authorised analysts only)")

    def _add_quality(self, parser: CommandParser) -> None:
        parser.add_argument("--data",
                            help="data directory (checked now), a DuckDB file written by import "
                                 "or a PostgreSQL URL (the report kept at import); default: "
                                 + CONFIGURED)
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument("--out", type=Path, help="output file (default: standard output)")

    def _add_generate(self, parser: CommandParser) -> None:
        parser.add_argument("--episodes", required=True, type=int, help="number of episodes")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--out", required=True, type=Path, help="output directory")
        parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")

    def handle(self, *args: Any, **options: Any) -> None:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "compute": self.compute,
            "counts": self.counts,
            "time-to-permanency": self.time_to_permanency,
            "import": self.import_data,
            "validate": self.validate,
            "quality": self.quality,
            "generate": self.generate,
        }
        try:
            handlers[options["action"]](options)
        except (CountyConfigError, ImproperlyConfigured) as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None

    def _fail_invalid(self, report: validation.ValidationReport) -> None:
        self.stderr.write(report.format())
        if any(problem.file.endswith(KEPT_SUFFIX) for problem in report.problems):
            self.stderr.write("Tables the new data do not hold are kept from the earlier import "
                              "and checked with the new tables; --replace-all empties them.")
        raise CommandError("the data break the contract; nothing was loaded",
                           returncode=EXIT_INVALID_DATA)

    def validate(self, options: dict[str, Any]) -> None:
        if options["engine"] == "spark" and spark_runner.is_url(options["data"]):
            report = self._spark_schema(options["data"])
            self.stdout.write(report.format())
            self.stdout.write("Checked by Spark: the schema, not the values or data quality.")
            return
        try:
            data = store.load_directory(Path(options["data"]),
                                        checks=validation.Checks(strict=options["strict"]))
        except store.InvalidDataError as error:
            self._fail_invalid(error.report)
        data.close()
        self.stdout.write(data.report.format())

    def quality(self, options: dict[str, Any]) -> None:
        data = self._open(options["data"])
        try:
            if not marks.has_report(data):
                raise CommandError(f"{options['data'] or 'The configured outcome store'} holds "
                                   "no data-quality report: it was imported before practicehub "
                                   "checked data quality; import the data again",
                                   returncode=EXIT_INVALID_DATA)
            rows = quality_report.stored_report(data)
        finally:
            data.close()
        text = quality_report.render(rows, options["format"])
        if options["out"] is not None:
            options["out"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def import_data(self, options: dict[str, Any]) -> None:
        try:
            self._import(options)
        except ImportStopped as error:
            raise CommandError(f"import {error}: nothing was changed",
                               returncode=128 + error.signum) from None
        except KeyboardInterrupt:
            raise CommandError("import interrupted: nothing was changed",
                               returncode=EXIT_INTERRUPTED) from None
        except store.EarlierImportError as error:
            raise CommandError(str(error), returncode=EXIT_INVALID_DATA) from None

    def _import(self, options: dict[str, Any]) -> None:
        federal = options["source"] == "federal-file"
        counties = known_counties()
        if options["population"] is not None and not federal:
            raise CommandError("--population goes with --from federal-file; a data directory "
                               "holds its own population table", returncode=EXIT_USAGE)
        into = options["into"] or outcome_store()
        if isinstance(into, str) and postgres_store.is_postgres_url(into):
            if federal:
                raise CommandError("--from federal-file imports into a DuckDB file; import that "
                                   "file's data directory into PostgreSQL", returncode=EXIT_USAGE)
            self._import_into_postgres(options["data"], into,
                                       replace_all=options["replace_all"],
                                       strict=options["strict"])
            if options["into"] is None:
                self._prepare_dashboards(into)
            return
        target = Path(into)
        summary = ""
        with tqdm(desc="import", unit=" step", file=sys.stderr) as bar:

            def progress(message: str) -> None:
                bar.set_postfix_str(message, refresh=False)
                bar.update(1)

            try:
                result: ImportResult
                if federal:
                    conversion, result = import_federal_file(
                        options["data"], target, population=options["population"],
                        progress=progress, replace_all=options["replace_all"],
                        counties=counties, strict=options["strict"])
                    summary = conversion.summary() + "\n"
                else:
                    result = store.import_directory(
                        options["data"], target, progress=progress,
                        replace_all=options["replace_all"], counties=counties,
                        strict=options["strict"])
            except ConversionError as error:
                bar.close()
                self._fail_invalid(error.report)
            except store.InvalidDataError as error:
                bar.close()
                if federal:
                    self.stderr.write(f"The tables converted from {options['data'].name} "
                                      "break the contract:")
                self._fail_invalid(error.report)
        if options["into"] is None:
            self._prepare_dashboards(target)
        self.stdout.write(f"{summary}{result.format()}\nImported into {target}")

    def _prepare_dashboards(self, database: Path | str) -> None:
        """Compile and run the overview's trend now, so the first dashboard view is quick (the
        compiled SQL is cached on disk for the server's processes)."""
        # Imported here: the dashboards need the Django app registry, the other actions do not.
        from practicehub.outcomes.services import dashboard_data, dashboard_warming

        with dashboard_data.opened(database) as data:
            if data is not None:
                dashboard_warming.warm(data)

    def _import_into_postgres(self, data_dir: Path, url: str, *, replace_all: bool,
                              strict: bool) -> None:
        """Validate in DuckDB, then load PostgreSQL in one transaction (nothing partial)."""
        try:
            result, schema = postgres_store.import_directory(
                data_dir, url, replace_all=replace_all, counties=known_counties(),
                strict=strict)
        except store.InvalidDataError as error:
            self._fail_invalid(error.report)
        self.stdout.write(f"{result.format()}\nImported into PostgreSQL schema {schema}")

    def compute(self, options: dict[str, Any]) -> None:
        try:
            periods = _periods(options["period"], options["rolling"])
            reference_date = _reference_date(options)
        except PeriodError as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None
        if options["engine"] == "spark":
            try:  # before Spark starts: a misspelt measure should not wait for it
                computing.resolve_measures(_names(options["measures"]))
            except computing.UsageError as error:
                raise CommandError(str(error), returncode=EXIT_USAGE) from None
        data = (self._open_spark(options["data"], strict=options["strict"])
                if options["engine"] == "spark"
                else self._open(options["data"], strict=options["strict"]))
        try:
            results = [
                computing.compute(
                    data, period, by=_names(options["by"]),
                    measures=_names(options["measures"]), reference_date=reference_date,
                    suppress=not options["no_suppress"],
                )
                for period in periods
            ]
        except computing.UsageError as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None
        finally:
            data.close()
        # Rolling periods: one output, oldest period first; a warning once, not once per period.
        result = ComputeResult([row for one in results for row in one.rows], results[0].by,
                               list(dict.fromkeys(w for one in results for w in one.warnings)))
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        self._write(result, options["format"], options["out"])

    def counts(self, options: dict[str, Any]) -> None:
        try:
            period = parse_period(options["period"])
            day = parse_date(options["date"]) if options["date"] else None
        except PeriodError as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None
        data = self._open(options["data"])
        try:
            result = stock_flow.compute(data, period, by=_names(options["by"]),
                                        tables=_names(options["tables"]), day=day,
                                        suppress_cells=not options["no_suppress"])
        except computing.UsageError as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None
        finally:
            data.close()
        out = options["out"]
        if options["format"] == "parquet":
            stock_flow.write_parquet(result, str(out) if out else sys.stdout.buffer)
        elif out is not None:
            out.write_text(stock_flow.render_text(result, options["format"]), encoding="utf-8")
        else:
            self.stdout.write(stock_flow.render_text(result, options["format"]), ending="")

    def time_to_permanency(self, options: dict[str, Any]) -> None:
        try:
            period = parse_period(options["period"])
            reference_date = _reference_date(options)
        except PeriodError as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None
        data = self._open(options["data"])
        by = _names(options["by"])
        try:
            curves = time_to_permanency.compute(data, period, by=by, reference_date=reference_date,
                                                suppress=not options["no_suppress"])
        except computing.UsageError as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None
        finally:
            data.close()
        text = time_to_permanency.render_table(curves, period, by, options["format"])
        if options["out"] is not None:
            options["out"].write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _open(self, data: str | None, *,
              strict: bool = False) -> store.OutcomeData | computing.IbisRunner:
        """The data to compute on: a PostgreSQL schema, a DuckDB file or a data directory; by
        default the configured store."""
        data = data or str(outcome_store())
        if postgres_store.is_postgres_url(data):
            return postgres_store.runner(data)
        try:
            return store.open_data(Path(data), strict=strict)
        except store.InvalidDataError as error:
            self._fail_invalid(error.report)
        except store.OutdatedDatabaseError as error:
            raise CommandError(str(error), returncode=EXIT_INVALID_DATA) from None
        raise AssertionError("unreachable")  # _fail_invalid raises

    def _spark_ready(self) -> None:
        reason = spark_runner.unavailable()
        if reason is not None:
            raise CommandError(f"--engine spark: {reason}", returncode=EXIT_USAGE)

    def _spark_schema(self, url: str) -> validation.ValidationReport:
        self._spark_ready()
        report, _ = spark_runner.read_dataset(spark_runner.spark_session(), url)
        if not report.ok:
            self._fail_invalid(report)
        return report

    def _open_spark(self, data: str | None, *, strict: bool) -> spark_runner.SparkData:
        """The data folder or URL ``data`` checked and loaded into Spark."""
        if not data:
            raise CommandError("--engine spark needs --data: a data folder or a URL Spark reads",
                               returncode=EXIT_USAGE)
        self._spark_ready()
        checks = store.STRICT_IN_MEMORY_CHECKS if strict else store.IN_MEMORY_CHECKS
        try:
            opened = spark_runner.open_spark(data, checks=checks)
        except store.InvalidDataError as error:
            self._fail_invalid(error.report)
        for warning in opened.warnings:
            self.stderr.write(f"warning: {warning}")
        return opened

    def _write(self, result: ComputeResult, fmt: str, out: Path | None) -> None:
        if fmt == "parquet":
            output.write_parquet(result, str(out) if out else sys.stdout.buffer)
        elif out is not None:
            out.write_text(output.render_text(result, fmt), encoding="utf-8")
        else:
            self.stdout.write(output.render_text(result, fmt), ending="")

    def generate(self, options: dict[str, Any]) -> None:
        if options["episodes"] < 1:
            raise CommandError("--episodes must be at least 1", returncode=EXIT_USAGE)
        started = time.perf_counter()
        with tqdm(total=options["episodes"], desc="generate", unit=" episodes",
                  file=sys.stderr) as bar:

            def progress(episodes: int) -> None:
                bar.update(episodes)

            counts = synthetic.generate(options["out"], options["episodes"], options["seed"],
                                        fmt=options["format"], progress=progress)
        seconds = time.perf_counter() - started
        rows = ", ".join(f"{name} {count:,}" for name, count in counts.items())
        self.stdout.write(f"Wrote {rows} to {options['out']} in {seconds:.1f} s")
