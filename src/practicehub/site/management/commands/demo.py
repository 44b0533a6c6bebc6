from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from practicehub.accounts.demo import DEMO_PASSWORD
from practicehub.site.services.demo import OVERRIDE, build_demo, refusal_message, refusals


class Command(BaseCommand):
    help = "Set up the demo (database, tree, practice models, one login per role) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Set up only; do not serve.")
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Address to serve on.")
        parser.add_argument(
            OVERRIDE, dest="public_accounts", action="store_true",
            help="Build the demo even with DEBUG off or in a database holding other accounts or "
                 "places: its accounts all have the public demo password.")

    def handle(self, *args: Any, **options: Any) -> None:
        reasons = refusals(debug=settings.DEBUG)
        if reasons and not options["public_accounts"]:
            raise CommandError(refusal_message(reasons))
        started = time.monotonic()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:4.0f} s] {message}")

        logins = build_demo(progress=progress)
        self.stdout.write(self.style.SUCCESS("\nDemo ready. Sign in with any of these:"))
        self.stdout.write(f"  {'user name':<18} {'password':<18} role at site")
        for login in logins:
            where = f"{login.role.label} at {login.node_code}"
            self.stdout.write(f"  {login.username:<18} {DEMO_PASSWORD:<18} {where}")
        if not options["no_serve"]:
            self.stdout.write(f"\nServing on http://{options['bind']}/  (Ctrl-C stops it)")
            call_command("serve", bind=options["bind"])
