from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practicehub.accounts.services.tree import SHIPPED_TREE, TreeFileError, load_tree


class Command(BaseCommand):
    help = "Load the organisation tree from a file (docs/organisation-tree.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Create or update nodes from a tree file.")
        load.add_argument("file", nargs="?", type=Path, default=SHIPPED_TREE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_tree(options["file"])
        except TreeFileError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(exc.errors)} error(s); nothing was loaded.") from None
        self.stdout.write(f"{summary.created} created, {summary.updated} updated, "
                          f"{summary.unchanged} unchanged.")
