"""Measured objectives: an objective names the figures it is meant to move (an outcome measure,
a fidelity figure, an assessment score, a stage), each with a baseline, a target and the
direction that is better.

Values are kept as the figures are computed: shares and proportions as fractions (0.62), rates
as the rate itself; assessment scores as the assessments results page shows them (62.5 for
62.5% of the maximum, 3.2 for a mean item score); pages show them as the dashboards do.
"""

from __future__ import annotations

from django.db import models

from practicehub.accounts.models import OrgNode
from practicehub.core.services.versioning import VersionedModel
from practicehub.fidelity.models import ObservationTool
from practicehub.implementation.models.plans import Objective
from practicehub.practice_model.models import ModelVersion


class IndicatorKind(models.TextChoices):
    OUTCOME = "outcome", "Outcome measure"
    FIDELITY_SHARE = "fidelity_share", "Fidelity: share of ratings proficient"
    WORKERS_AT_FIDELITY = "workers_at_fidelity", "Fidelity: share of workers at fidelity"
    STAGE = "stage", "Stage of implementation"
    ASSESSMENT_SCORE = "assessment", "Assessment score"


class Direction(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


class ContentLevel(models.TextChoices):
    PRACTICE = "practice", "Practice"
    ELEMENT = "element", "Core practice element"


class Indicator(VersionedModel):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(max_length=24, choices=IndicatorKind.choices)
    # An outcome measure's id, and optionally the group it is about (race_ethnicity = black).
    measure = models.CharField(max_length=64, blank=True)
    dimension = models.CharField(max_length=32, blank=True)
    dimension_value = models.CharField(max_length=64, blank=True, verbose_name="group")
    # Fidelity: the tool, and for shares proficient the practice or element (its code).
    tool = models.ForeignKey(ObservationTool, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name="observation tool")
    content_level = models.CharField(max_length=12, choices=ContentLevel.choices, blank=True)
    content_code = models.CharField(max_length=64, blank=True, verbose_name="practice or element")
    # Stage: of which practice model version.
    model_version = models.ForeignKey(ModelVersion, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    # Assessment score: the instrument (a string reference: assessments' models import these)
    # and optionally the code of one of its sub-scales (blank: the total score).
    instrument = models.ForeignKey("assessments.Instrument", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    subscale = models.CharField(max_length=60, blank=True, verbose_name="sub-scale")
    baseline_on = models.DateField(help_text="The last day of the baseline quarter.",
                                   verbose_name="baseline quarter")
    baseline_value = models.FloatField(null=True, blank=True, verbose_name="baseline value")
    target_value = models.FloatField(verbose_name="target value")
    target_on = models.DateField(verbose_name="target date")
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["objective", "pk"]

    def __str__(self) -> str:
        return f"Indicator {self.pk} of “{str(self.objective)[:40]}”"

    @property
    def node(self) -> OrgNode:
        return self.objective.plan.node
