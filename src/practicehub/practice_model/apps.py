from __future__ import annotations

from django.apps import AppConfig


class PracticeModelConfig(AppConfig):
    name = "practicehub.practice_model"
    label = "practice_model"
    verbose_name = "Practice models"
