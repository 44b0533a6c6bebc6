"""Implementation-support practice profiles: models of kind ``implementation_support``.

In such a model the practices are the competency *domains* and the behaviors are the
*competencies*. The support log tags activities with the competencies of the latest published
profile, and the fidelity app rates support team members against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from practicehub.practice_model.models import Behavior, ModelKind, ModelVersion, Status


@dataclass(frozen=True)
class Competency:
    code: str
    name: str
    domain_code: str
    domain: str
    # (level label, what the competency looks like at that level), strongest level first.
    descriptors: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        """How lists show it: "Domain: competency"."""
        return f"{self.domain}: {self.name}"


def current_profile() -> ModelVersion | None:
    """The latest published implementation-support profile, or None when none is loaded."""
    return (ModelVersion.objects.filter(kind=ModelKind.IMPLEMENTATION_SUPPORT,
                                        status=Status.PUBLISHED)
            .order_by("-published_at", "-pk").first())


def short_name(text: str) -> str:
    """A competency's name: its text up to the dash that starts the explanation."""
    return text.split(" — ", 1)[0].strip()


def competencies(version: ModelVersion | None = None) -> list[Competency]:
    """The competencies of ``version`` (the current profile by default), in file order."""
    version = version or current_profile()
    if version is None:
        return []
    behaviors = (Behavior.objects.filter(version=version).select_related("practice")
                 .prefetch_related("descriptors__level").order_by("order"))
    return [Competency(b.code, short_name(b.text), b.practice.code if b.practice else "",
                       b.practice.name if b.practice else "", _descriptors(b))
            for b in behaviors]


def _descriptors(behavior: Behavior) -> tuple[tuple[str, str], ...]:
    found = sorted(behavior.descriptors.all(), key=lambda d: -d.level.rank)
    return tuple((d.level.label, d.text) for d in found)


def competency_choices() -> list[tuple[str, str]]:
    return [(c.code, c.label) for c in competencies()]


def competency_labels() -> dict[str, str]:
    return dict(competency_choices())
