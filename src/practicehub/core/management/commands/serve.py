from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from practicehub.core.services.jobs import interrupted
from practicehub.core.services.serving import (
    ServerOptions,
    server_command,
    supervise,
    worker_command,
)


class Command(BaseCommand):
    help = ("Serve practicehub with gunicorn (static files through WhiteNoise) and the "
            "background task worker; stopping it stops both.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=settings.SERVER_WORKERS,
                            help="gunicorn processes (SERVER_WORKERS; about one per core).")
        parser.add_argument("--threads", type=int, default=settings.SERVER_THREADS,
                            help="Threads per process (SERVER_THREADS).")
        parser.add_argument("--timeout", type=int, default=settings.SERVER_TIMEOUT,
                            help="Seconds before gunicorn restarts a silent worker "
                            "(SERVER_TIMEOUT).")
        parser.add_argument("--no-worker", action="store_true",
                            help="Do not start the task worker (run `practicehub db_worker` "
                            "yourself, e.g. on another machine).")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.CACHE_KIND == "database":
            # The shared cache's table (idempotent; migrate does not make it).
            call_command("createcachetable", verbosity=0)
        worker = None if options["no_worker"] else worker_command()
        if worker is not None:
            # This serve runs the database's task worker: a job still marked running was cut
            # off by a hard stop; its import was rolled back.
            if stale := interrupted():
                self.stdout.write(f"{stale} import job(s) cut off by the last stop marked failed.")
            self.stdout.write("Starting the task worker for background imports.")
        sys.stdout.flush()
        server = server_command(ServerOptions(options["bind"], options["workers"],
                                              options["threads"], options["timeout"]))
        code = supervise(server, worker, lambda message: self.stderr.write(message))
        if code:
            sys.exit(code)
