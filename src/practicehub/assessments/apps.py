from __future__ import annotations

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "practicehub.assessments"
    label = "assessments"
    verbose_name = "Assessments"
