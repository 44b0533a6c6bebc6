"""``practicehub outcomes``: validate, import, compute and generate outcome data.

The contract of the subcommands is docs/outcomes.md.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from practicehub.outcomes import contract, engine, output, store, synthetic, validation
from practicehub.outcomes.measures import MEASURES
from practicehub.outcomes.periods import PeriodError, parse_date, parse_period
from practicehub.outcomes.results import ComputeResult

EXIT_INVALID_DATA = 1
EXIT_USAGE = 2


def _names(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


class Command(BaseCommand):
    help = "Outcome measures: validate, import, compute, generate (see docs/outcomes.md)."
    # Works on files and DuckDB only, so it does not wait on (or fail for) the web app's checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        self._add_compute(actions.add_parser("compute", help="compute measures for a period"))
        importer = actions.add_parser("import", help="validate, then load into DuckDB")
        importer.add_argument("--data", required=True, type=Path, help="data directory")
        importer.add_argument("--into", type=Path, help="DuckDB file (default: OUTCOMES_DIR)")
        checker = actions.add_parser("validate", help="check a data directory")
        checker.add_argument("--data", required=True, type=Path, help="data directory")
        self._add_generate(actions.add_parser("generate", help="write synthetic data"))

    def _add_compute(self, parser: CommandParser) -> None:
        parser.add_argument("--data", required=True, type=Path,
                            help="data directory, or a DuckDB file written by import")
        parser.add_argument("--period", required=True, help="START:END or a code like 23A23B")
        parser.add_argument("--by", help="dimensions: " + ",".join(contract.DIMENSIONS))
        parser.add_argument("--measures", help="measure ids (default: all): " + ",".join(MEASURES))
        parser.add_argument("--reference-date", help="day for point-in-time measures (YYYY-MM-DD)")
        parser.add_argument("--format", choices=output.FORMATS, default="csv")
        parser.add_argument("--out", type=Path, help="output file (default: standard output)")
        parser.add_argument("--no-suppress", action="store_true",
                            help="show small cells (authorised analysts only)")

    def _add_generate(self, parser: CommandParser) -> None:
        parser.add_argument("--episodes", required=True, type=int, help="number of episodes")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--out", required=True, type=Path, help="output directory")
        parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")

    def handle(self, *args: Any, **options: Any) -> None:
        handlers: dict[str, Callable[[dict[str, Any]], None]] = {
            "compute": self.compute,
            "import": self.import_data,
            "validate": self.validate,
            "generate": self.generate,
        }
        handlers[options["action"]](options)

    def _fail_invalid(self, report: validation.ValidationReport) -> None:
        self.stderr.write(report.format())
        raise CommandError("the data break the contract; nothing was loaded",
                           returncode=EXIT_INVALID_DATA)

    def validate(self, options: dict[str, Any]) -> None:
        report = validation.validate_directory(options["data"])
        if not report.ok:
            self._fail_invalid(report)
        self.stdout.write(report.format())

    def import_data(self, options: dict[str, Any]) -> None:
        target = options["into"] or store.default_database()
        with tqdm(desc="import", unit=" step", file=sys.stderr) as bar:

            def progress(message: str) -> None:
                bar.set_postfix_str(message, refresh=False)
                bar.update(1)

            try:
                report = store.import_directory(options["data"], target, progress=progress)
            except store.InvalidDataError as error:
                bar.close()
                self._fail_invalid(error.report)
        self.stdout.write(f"{report.format()}\nImported into {target}")

    def compute(self, options: dict[str, Any]) -> None:
        try:
            period = parse_period(options["period"])
            reference = options["reference_date"]
            reference_date = parse_date(reference) if reference else None
        except PeriodError as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None
        try:
            data = store.open_data(options["data"])
        except store.InvalidDataError as error:
            self._fail_invalid(error.report)
        try:
            result = engine.compute(
                data, period, by=_names(options["by"]),
                measures=_names(options["measures"]), reference_date=reference_date,
                suppress=not options["no_suppress"],
            )
        except engine.UsageError as error:
            raise CommandError(str(error), returncode=EXIT_USAGE) from None
        finally:
            data.close()
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        self._write(result, options["format"], options["out"])

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
