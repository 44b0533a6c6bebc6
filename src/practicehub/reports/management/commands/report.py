"""``practicehub report``: build a site's PDF progress report, or delete report files kept past
their time (docs/reports.md#pdf-progress-report)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from practicehub.accounts.models import User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.errors import OutsideScope, Refused
from practicehub.reports.services import content, jobs, pdf


class Command(BaseCommand):
    help = "Build a site's PDF progress report, or delete report files past their time."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{site,cleanup}")
        site = kinds.add_parser("site", help="the progress report of one site (a county, office "
                                "or unit), or of the sites of a state or region compared")
        site.add_argument("--node", required=True, metavar="SLUG",
                          help="the site's code in the organisation tree, e.g. fresno")
        site.add_argument("--period", default="", metavar="CODE",
                          help="a federal fiscal year code such as 26A26B, or START:END dates; "
                               "default: the latest federal year of the outcome data")
        site.add_argument("--as", dest="as_user", default="", metavar="USERNAME",
                          help="build it as this person's pages show the site (their scope and "
                               "suppression); default: the aggregate edition (outcome figures "
                               "suppressed, small fidelity groups hidden)")
        site.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write it")
        kinds.add_parser("cleanup", help="delete the report files kept past "
                                         "REPORT_FILES_KEEP_HOURS")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] == "cleanup":
            deleted = jobs.delete_expired()
            self.stdout.write(f"Deleted {deleted} report file{'s' if deleted != 1 else ''} "
                              "kept past their time.")
            return
        viewer = self._viewer(options["as_user"])
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out {out}: the folder {out.parent} does not exist.")
        started = time.monotonic()
        try:
            node = content.find_site(options["node"], viewer)
            period = content.find_period(options["period"], timezone.localdate())
        except OutsideScope:
            raise CommandError(f"--node {options['node']}: not in the scope of "
                               f"{options['as_user']}.") from None
        except Refused as refused:
            flag = "--period" if any(p.field == "period" for p in refused.located) else "--node"
            raise CommandError(f"{flag}: {refused}") from None

        def progress(stage: str, done: int, total: int) -> None:
            self.stderr.write(f"  {stage} ({done} of {total})")

        report = content.build(node, period, viewer, progress=progress)
        out.write_bytes(pdf.render(report))
        record_event(Action.EXPORT, actor=viewer, actor_label="" if viewer else "command line",
                     object_type="reports.site", object_id=node.code,
                     object_label=f"Progress report of {node.name}, {report.period_label}")
        self.stdout.write(f"Wrote {out} ({out.stat().st_size:,} bytes): {report.title}, "
                          f"{report.period_label}, in {time.monotonic() - started:.1f} s.")

    def _viewer(self, username: str) -> User | None:
        if not username:
            return None
        found = User.objects.filter(username=username).first()
        if found is None:
            raise CommandError(f"--as {username}: no person has that user name.")
        return found
