"""The content of a model version, one table per kind so other apps can point at any of it.

Every row belongs to exactly one version (directly, or through its behavior for descriptors) and
refuses to change once that version is published.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from practicehub.core.services.versioning import VersionedModel
from practicehub.practice_model.errors import PublishedVersionError
from practicehub.practice_model.models.version import ModelVersion, Status, refuse_if_published


class BehaviorSet(models.TextChoices):
    FOUNDATIONAL = "foundational", "Foundational"
    PRACTICE = "practice", "Practice"
    LEADERSHIP = "leadership", "Leadership"


class Wording(models.TextChoices):
    OFFICIAL = "official", "Official wording"
    PARAPHRASED = "paraphrased-from-seeds", "Paraphrased from source documents"
    LOCAL = "local", "Local wording"


class FrozenWhenPublishedQuerySet[M: models.Model](models.QuerySet[M]):
    """Refuses bulk updates and deletes that would touch rows of a published version."""

    version_lookup = "version__status"

    def _touches_published(self) -> bool:
        return self.filter(**{self.version_lookup: Status.PUBLISHED}).exists()

    def update(self, **kwargs: Any) -> int:
        if self._touches_published():
            raise PublishedVersionError(f"a selected {self.model._meta.verbose_name}")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._touches_published():
            raise PublishedVersionError(f"a selected {self.model._meta.verbose_name}")
        return super().delete()


class VersionContent(models.Model):
    """A coded row of one version: the code is unique within the version, order is file order."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="%(class)s_set"
    )
    code = models.CharField(max_length=40)
    order = models.PositiveIntegerField(default=0)

    objects = FrozenWhenPublishedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"], name="%(app_label)s_%(class)s_unique_code"
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        refuse_if_published(self.version_id, f"{self._meta.verbose_name} {self.code}")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        refuse_if_published(self.version_id, f"{self._meta.verbose_name} {self.code}")
        return super().delete(*args, **kwargs)


class Value(VersionContent):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class Principle(VersionContent):
    """A principle in action: what a value looks like in the work."""

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="principles")
    text = models.TextField()

    def __str__(self) -> str:
        return self.text


class Practice(VersionContent):
    """A front-line practice, e.g. Exploration & Engagement."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class Element(VersionContent):
    """A core practice element; tied to a practice when the model has practices."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="elements"
    )

    def __str__(self) -> str:
        return self.name


class ProfileLevel(VersionContent):
    """One level of the model's practice-profile scale; a higher rank is stronger practice."""

    label = models.CharField(max_length=200)
    rank = models.PositiveSmallIntegerField()
    description = models.TextField(blank=True)

    class Meta(VersionContent.Meta):
        ordering = ["-rank"]
        constraints = [
            *VersionContent.Meta.constraints,
            models.UniqueConstraint(
                fields=["version", "rank"], name="practice_model_profilelevel_unique_rank"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Behavior(VersionContent, VersionedModel):
    """A practice behavior (or a foundational or leadership one): what staff are seen to do."""

    behavior_set = models.CharField(max_length=16, choices=BehaviorSet.choices)
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="behaviors"
    )
    element = models.ForeignKey(
        Element, null=True, blank=True, on_delete=models.CASCADE, related_name="behaviors"
    )
    text = models.TextField()
    wording = models.CharField(max_length=32, choices=Wording.choices)

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class DescriptorQuerySet(FrozenWhenPublishedQuerySet["ProfileDescriptor"]):
    version_lookup = "behavior__version__status"


class ProfileDescriptor(models.Model):
    """What a behavior looks like at one profile level."""

    behavior = models.ForeignKey(Behavior, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(ProfileLevel, on_delete=models.CASCADE, related_name="descriptors")
    text = models.TextField()

    objects = DescriptorQuerySet.as_manager()

    class Meta:
        ordering = ["behavior__order", "-level__rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["behavior", "level"], name="practice_model_descriptor_unique_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.behavior.code} {self.level.code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        refuse_if_published(self.behavior.version_id, f"a descriptor of {self.behavior.code}")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        refuse_if_published(self.behavior.version_id, f"a descriptor of {self.behavior.code}")
        return super().delete(*args, **kwargs)


class CapacityArea(VersionContent):
    """An area of organizational and system capacity, e.g. training, coaching and supervision."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class CapacityStandard(VersionContent):
    area = models.ForeignKey(CapacityArea, on_delete=models.CASCADE, related_name="standards")
    text = models.TextField()

    def __str__(self) -> str:
        return self.text


class SystemicIssue(VersionContent):
    """A systemic barrier to permanency and the practices that answer it."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    practices = models.ManyToManyField(Practice, related_name="systemic_issues", blank=True)

    def __str__(self) -> str:
        return self.name


class CaseworkComponent(VersionContent):
    """A stage of casework (Core Practice Model), e.g. Engagement or Transition."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


@receiver(m2m_changed, sender=SystemicIssue.practices.through)
def _refuse_links_on_published(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    """Linking practices and issues is a change of content like any other.

    Either side may be the instance (``issue.practices`` or ``practice.systemic_issues``); both
    belong to the same version, so its version decides.
    """
    if action.startswith("pre_"):
        refuse_if_published(instance.version_id, "the practices of a systemic issue")
