from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from practicehub.core.services.backup import BackupError
from practicehub.core.services.restore import restore_backup


class Command(BaseCommand):
    help = ("Restore a `practicehub backup` archive into an empty database and data folder "
            "(--force replaces what is there). The archive is checked before anything changes.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The archive `practicehub backup` wrote")
        parser.add_argument("--force", action="store_true",
                            help="Replace the database and data-folder files that are there")

    def handle(self, *args: Any, **options: Any) -> None:
        connections.close_all()  # the restore writes the database itself
        try:
            manifest = restore_backup(options["archive"], force=options["force"],
                                      progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Restore complete: the backup made {manifest.created}. Run `practicehub migrate` "
            "if this version of practicehub is newer than the one that made it."))
