"""``practicehub remind [--dry-run] [--date YYYY-MM-DD]``: the daily digest, one mail per person
with anything to do (only their own), through Django's e-mail settings; ``--dry-run`` prints
each digest instead of sending it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from practicehub.site.services import reminders


class Command(BaseCommand):
    help = "Mail each person a digest of what is theirs to do (--dry-run: print them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="print each person's digest instead of sending it")
        parser.add_argument("--date", help="count as of this day (YYYY-MM-DD; default today)")
        parser.add_argument("--base-url", default="",
                            help="the site's address before the links, e.g. https://ph.example.org")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date: {options['date']!r} is not a date like "
                                   "2026-03-01") from None
        found = reminders.digests(today, options["base_url"].rstrip("/"))
        if options["dry_run"]:
            for digest in found:
                self.stdout.write(f"To: {digest.user.email} ({digest.user.username})\n"
                                  f"Subject: {digest.subject}\n\n{digest.body}\n{'-' * 72}")
            self.stdout.write(f"{len(found)} digest{'s' if len(found) != 1 else ''} "
                              "(dry run: nothing sent).")
            return
        reminders.send(found, self.stdout.write)
