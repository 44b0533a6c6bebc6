"""Finding a module by convention in each practicehub app (``<app>.permissions``, ``<app>.api``…).

Areas plug into shared machinery (permission map, API, demo, benchmarks) by shipping a module of a
known name; this is the one place that looks for them.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(name: str) -> list[tuple[AppConfig, ModuleType]]:
    """Every installed practicehub app's ``<app>.<name>`` module, in INSTALLED_APPS order."""
    found: list[tuple[AppConfig, ModuleType]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("practicehub."):
            continue
        try:
            module = import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
            continue
        found.append((config, module))
    return found
