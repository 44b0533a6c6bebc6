"""``practicehub bench <area> [options]``: each area registers its benchmark as
``practicehub.<area>.bench.run(options) -> dict``; this command runs it and prints the report.

Every area is a sub-command with options of its own: an area module may define
``add_arguments(parser)``; an area without that hook gets ``--ratings`` (the size of its data).
A module may name its sub-command with ``AREA`` (``core.bench`` is ``practicehub bench web``).
An area module may also define ``render(report) -> str``; the report is printed as JSON otherwise.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practicehub.core.app_modules import app_modules


def bench_modules() -> dict[str, ModuleType]:
    """``{area: its bench module}`` for every practicehub app that has one (the area is the
    module's ``AREA``, else the app's label)."""
    return {getattr(module, "AREA", config.label): module
            for config, module in app_modules("bench")}


def add_default_arguments(parser: CommandParser) -> None:
    parser.add_argument("--ratings", type=int, default=None,
                        help="Size of the synthetic data (the area's own default if unset).")


class Command(BaseCommand):
    help = "Run an area's benchmark (e.g. `practicehub bench fidelity`) and print its report."

    def add_arguments(self, parser: CommandParser) -> None:
        areas = parser.add_subparsers(dest="area", required=True, metavar="area",
                                      help="The area to measure.")
        for label, module in bench_modules().items():
            sub = areas.add_parser(label, help=(module.__doc__ or "").split("\n", 1)[0])
            hook = getattr(module, "add_arguments", add_default_arguments)
            hook(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        modules = bench_modules()
        if options["area"] not in modules:
            raise CommandError(f"No benchmark for “{options['area']}”; "
                               f"areas with one: {', '.join(modules) or 'none'}.")
        self.stdout.write(f"Measuring {options['area']} (this builds its own throw-away "
                          "database) …")
        module = modules[options["area"]]
        report = module.run(options)
        render = getattr(module, "render", None)
        self.stdout.write(render(report) if render else json.dumps(report, indent=2, default=str))
