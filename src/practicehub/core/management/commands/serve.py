from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve practicehub with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [sys.executable, "-m", "gunicorn", "practicehub.wsgi:application",
                "--bind", options["bind"], "--workers", str(options["workers"]),
                "--threads", str(options["threads"]), "--access-logfile", "-"]
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606  (replace this process with the server)
