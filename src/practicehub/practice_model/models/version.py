"""One version of a practice model, and the guard that keeps published versions unchanged."""

from __future__ import annotations

from typing import Any

from django.db import models

from practicehub.practice_model.errors import PublishedVersionError


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def refuse_if_published(version_id: int | None, what: str) -> None:
    """Raise when the stored version is published.

    Reads the database rather than an in-memory object, so a stale instance cannot slip a change
    past the guard after another process published the version.
    """
    if version_id is None:
        return
    if ModelVersion.objects.filter(pk=version_id, status=Status.PUBLISHED).exists():
        raise PublishedVersionError(what)


class ModelKind(models.TextChoices):
    """What a model describes: front-line practice, or the practice of implementation support."""

    PRACTICE = "practice", "Practice model"
    IMPLEMENTATION_SUPPORT = "implementation_support", "Implementation-support practice profile"


class ModelVersionQuerySet(models.QuerySet["ModelVersion"]):
    def published(self) -> ModelVersionQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def update(self, **kwargs: Any) -> int:
        if self.published().exists():
            raise PublishedVersionError("a selected model version")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.published().exists():
            raise PublishedVersionError("a selected model version")
        return super().delete()


class ModelVersion(models.Model):
    """A practice model (``key``) at one version (``label``), draft or published."""

    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=ModelKind.choices, default=ModelKind.PRACTICE)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(blank=True)
    provenance = models.TextField(
        blank=True, help_text="Where the content and its wording come from."
    )
    framework_name = models.CharField(max_length=200, blank=True)
    framework_description = models.TextField(blank=True)
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived_versions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = ModelVersionQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["key", "label"], name="practice_model_unique_label"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Publishing is a save of a row still stored as draft, so it passes; nothing after does.
        refuse_if_published(self.pk, f"model version {self.ref}")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        refuse_if_published(self.pk, f"model version {self.ref}")
        return super().delete(*args, **kwargs)

    @property
    def ref(self) -> str:
        """The ``KEY@VERSION`` the command line uses."""
        return f"{self.key}@{self.label}"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def is_support_profile(self) -> bool:
        """An implementation-support profile: practices are domains, behaviors competencies."""
        return self.kind == ModelKind.IMPLEMENTATION_SUPPORT
