"""``practicehub model load|export|diff|crosswalk``: the practice model services on the command
line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practicehub.practice_model.errors import ModelFileError
from practicehub.practice_model.services import (
    FORMATS,
    VersionNotFound,
    diff_specs,
    export_version,
    find_version,
    format_changes,
    load_model_file,
    spec_of,
)
from practicehub.practice_model.services.crosswalk import load_crosswalk_file


class Command(BaseCommand):
    help = "Load, export and compare practice model versions."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        load = commands.add_parser("load", help="Check a model file and load it.")
        load.add_argument("file", help="a model file (YAML or JSON)")
        export = commands.add_parser("export", help="Write a stored version out.")
        export.add_argument("ref", metavar="KEY[@VERSION]",
                            help="a model key (latest published version) or key@version")
        export.add_argument("--format", choices=FORMATS, default="yaml", dest="fmt")
        export.add_argument("--out", help="write to this file instead of standard output")
        diff = commands.add_parser("diff", help="Show what changes between two versions.")
        diff.add_argument("a", help="a model file or key@version")
        diff.add_argument("b", help="a model file or key@version")
        crosswalk = commands.add_parser(
            "crosswalk", help="Check a crosswalk file between two versions and load it.")
        crosswalk.add_argument("file", help="a crosswalk file (YAML or JSON)")
        crosswalk.add_argument("--check", action="store_true",
                               help="check the file only; write nothing")
        crosswalk.add_argument("--replace", action="store_true",
                               help="replace the links of a crosswalk already loaded "
                                    "for the same pair of versions")

    def handle(self, *args: Any, **options: Any) -> None:
        subcommand = options["subcommand"]
        try:
            if subcommand == "load":
                self.load(options["file"])
            elif subcommand == "crosswalk":
                self.stdout.write(load_crosswalk_file(
                    options["file"], replace=options["replace"],
                    check_only=options["check"]).message)
            elif subcommand == "export":
                self.export(options["ref"], options["fmt"], options["out"])
            else:
                self.stdout.write(format_changes(diff_specs(spec_of(options["a"]),
                                                            spec_of(options["b"]))), ending="")
        except ModelFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            count = len(exc.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found; nothing was changed."
            ) from exc
        except VersionNotFound as exc:
            raise CommandError(str(exc)) from exc

    def load(self, file: str) -> None:
        result = load_model_file(file)
        self.stdout.write(result.message)

    def export(self, ref: str, fmt: str, out: str | None) -> None:
        text = export_version(find_version(ref), fmt)
        if out is None:
            self.stdout.write(text, ending="")
            return
        Path(out).write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {ref} as {fmt} to {out}.")
