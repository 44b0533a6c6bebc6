from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "practicehub.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from practicehub.audit import signals  # noqa: F401  (connects sign-in signal receivers)
