from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "practicehub.core"
    label = "core"
    verbose_name = "Pages shared by every area"
