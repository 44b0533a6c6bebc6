from __future__ import annotations

from django.apps import AppConfig


class FidelityConfig(AppConfig):
    name = "practicehub.fidelity"
    label = "fidelity"
    verbose_name = "Practice fidelity and coaching"
