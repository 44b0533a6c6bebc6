"""``practicehub report``: build a site's PDF progress report or a System Improvement Plan's
annual progress (PDF or Excel), or delete report files kept past their time
(docs/reports.md#pdf-progress-report, docs/reports.md#system-improvement-plan)."""

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
from practicehub.reports.services import content, jobs, pdf, sip


class Command(BaseCommand):
    help = "Build a site's PDF progress report, or delete report files past their time."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="{site,sip,cleanup}")
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
        plan = kinds.add_parser("sip", help="a System Improvement Plan's annual progress: "
                                "each strategy's indicators, baseline, yearly actuals, target")
        plan.add_argument("--plan", required=True, type=int, metavar="ID",
                          help="the plan's number (its page's address: /implementation/plans/ID/)")
        plan.add_argument("--as", dest="as_user", default="", metavar="USERNAME",
                          help="as this person's plan page shows it (their scope and "
                               "suppression); default: the aggregate edition (suppressed)")
        plan.add_argument("--out", required=True, metavar="FILE.pdf|FILE.xlsx",
                          help="where to write it; the ending says which")
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
        if options["kind"] == "sip":
            self._sip(options["plan"], viewer, out, options["as_user"])
            return
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

    def _sip(self, pk: int, viewer: User | None, out: Path, username: str) -> None:
        extension = out.suffix.lower().lstrip(".")
        if extension not in ("pdf", "xlsx"):
            raise CommandError(f"--out {out}: end the file name in .pdf or .xlsx.")
        try:
            plan = sip.find_plan(pk, viewer)
        except OutsideScope:
            where = f" in the scope of {username}" if username else ""
            raise CommandError(f"--plan {pk}: no System Improvement Plan{where} has that "
                               "number.") from None
        found = sip.progress(plan, viewer, timezone.localdate())
        out.write_bytes(pdf.render(sip.report(found)) if extension == "pdf"
                        else sip.workbook(found))
        record_event(Action.EXPORT, actor=viewer, actor_label="" if viewer else "command line",
                     object_type="reports.sip", object_id=str(plan.pk),
                     object_label=f"Annual progress of {plan.title}")
        strategies = len(found.strategies)
        indicators = sum(len(s.indicators) for s in found.strategies)
        self.stdout.write(f"Wrote {out} ({out.stat().st_size:,} bytes): annual progress of "
                          f"{plan.title}, {strategies} strateg{'y' if strategies == 1 else 'ies'}"
                          f", {indicators} indicator{'' if indicators == 1 else 's'}.")

    def _viewer(self, username: str) -> User | None:
        if not username:
            return None
        found = User.objects.filter(username=username).first()
        if found is None:
            raise CommandError(f"--as {username}: no person has that user name.")
        return found
