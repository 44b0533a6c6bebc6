from __future__ import annotations

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "practicehub.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures"

    def ready(self) -> None:
        from django.core import checks

        from practicehub.outcomes.checks import outcome_store_check

        checks.register(outcome_store_check)
