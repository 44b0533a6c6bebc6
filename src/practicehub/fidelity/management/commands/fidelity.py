"""``practicehub fidelity rebuild``: make every tool's kept dashboard aggregates and worker
statuses again from the stored ratings (after an upgrade that adds kept figures, or a data fix
made around the services), instead of leaving it to each tool's next dashboard view."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from practicehub.fidelity.models import DashboardAggregate, DashboardWorkerStatus, ObservationTool
from practicehub.fidelity.services import aggregates


class Command(BaseCommand):
    help = "Rebuild the fidelity dashboards' kept aggregates from the stored ratings."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        commands.add_parser("rebuild", help="Rebuild every tool's kept aggregates and statuses.")

    def handle(self, *args: Any, **options: Any) -> None:
        for tool in ObservationTool.objects.order_by("pk"):
            began = time.perf_counter()
            aggregates.rebuild(tool)
            rows = DashboardAggregate.objects.filter(tool=tool).count()
            statuses = DashboardWorkerStatus.objects.filter(tool=tool).count()
            self.stdout.write(f"{tool.name}: {rows} aggregate rows and {statuses} worker "
                              f"statuses in {time.perf_counter() - began:.1f} s")
