from __future__ import annotations

from django.apps import AppConfig


class ImplementationConfig(AppConfig):
    name = "practicehub.implementation"
    label = "implementation"
    verbose_name = "Implementation support"
