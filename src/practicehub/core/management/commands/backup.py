from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practicehub.core.services.backup import BackupError, create_backup


class Command(BaseCommand):
    help = ("Back up the application database and the data folder (outcome databases, uploads, "
            "the secret key) into one archive, while the server keeps running.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path,
                            help="The archive to write, e.g. practicehub-2026-12-01.tar")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = create_backup(options["out"], progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Backup complete: {manifest.backend} database and "
            f"{len(manifest.files) - 1} data-folder files, each with its SHA-256."))
