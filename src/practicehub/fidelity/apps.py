from __future__ import annotations

from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "practicehub.fidelity"
    label = "fidelity"
    verbose_name = "Practice fidelity and coaching"

    def ready(self) -> None:
        from practicehub.fidelity.services import beside_outcomes
        from practicehub.outcomes.services import dashboard_warming

        dashboard_warming.WARMERS.append(beside_outcomes.warm)
