"""Stages of implementation per site and practice model version, and stage checklist ratings."""

from __future__ import annotations

from django.db import models

from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.scoping import NodeScopedQuerySet
from practicehub.practice_model.models import ModelVersion


class Stage(models.TextChoices):
    EXPLORATION = "exploration", "Exploration"
    INSTALLATION = "installation", "Installation"
    INITIAL = "initial", "Initial implementation"
    FULL = "full", "Full implementation"


STAGE_ORDER = [Stage.EXPLORATION, Stage.INSTALLATION, Stage.INITIAL, Stage.FULL]


class Rating(models.TextChoices):
    UNDEVELOPED = "undeveloped", "Undeveloped"
    IN_PROCESS = "in_process", "In process"
    ESTABLISHED = "established", "Established"


class StageRecordQuerySet(NodeScopedQuerySet["StageRecord"]):
    """Stages of sites in scope and of the sites above them: where one's county stands."""

    reaches_above = True


class StageRecord(models.Model):
    """A site entered a stage on a date. The latest record is the current stage; all are history."""

    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="stage_records")
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    entered_on = models.DateField()
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StageRecordQuerySet.as_manager()

    class Meta:
        ordering = ["node__path", "entered_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["node", "model_version", "stage"],
                                    name="stage_record_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.node} — {self.get_stage_display()} from {self.entered_on:%Y-%m-%d}"


class ChecklistRatingQuerySet(NodeScopedQuerySet["ChecklistRating"]):
    reaches_above = True


class ChecklistRating(models.Model):
    """The current rating of one stage checklist activity at a site (changes are audited)."""

    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="checklist_ratings")
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    activity = models.CharField(max_length=40)
    rating = models.CharField(max_length=12, choices=Rating.choices, default=Rating.UNDEVELOPED)
    completed_on = models.DateField(
        null=True, blank=True, help_text="The milestone date: when the activity was established."
    )

    objects = ChecklistRatingQuerySet.as_manager()

    class Meta:
        ordering = ["node__path", "stage", "activity"]
        constraints = [
            models.UniqueConstraint(fields=["node", "model_version", "activity"],
                                    name="checklist_rating_once_per_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_rating_display()}"
