"""``practicehub instrument load FILE|--shipped``: check and load assessment instruments."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practicehub.assessments.services.instruments import (
    load_instrument_file,
    load_shipped_instruments,
)
from practicehub.practice_model.errors import ModelFileError


class Command(BaseCommand):
    help = "Check an instrument file and load it, or load the shipped instruments."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        load = commands.add_parser("load", help="Check an instrument file and load it.")
        source = load.add_mutually_exclusive_group(required=True)
        source.add_argument("file", nargs="?", help="an instrument file (YAML)")
        source.add_argument("--shipped", action="store_true",
                            help="load every instrument shipped with practicehub")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = ([load_instrument_file(options["file"])] if options["file"]
                      else load_shipped_instruments())
        except ModelFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            count = len(exc.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was changed."
            ) from exc
        for instrument in loaded:
            self.stdout.write(f"Loaded {instrument.key} {instrument.version}: {instrument.name}")
