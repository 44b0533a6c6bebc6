"""Rating scales a tool may use. A scale is data: its points (value, label), highest first.

Values are ordinal integers so scores, thresholds and agreement statistics work the same way on
every scale; "not observed" and "not applicable" are marks, never points, and are left out of
every score.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class ScaleKind(models.TextChoices):
    THREE_LEVEL = "three_level", "Accomplished / Acquiring / Emerging (3 levels)"
    FIVE_POINT = "five_point", "1 to 5"
    PROFILE = "profile", "Expected / Developmental / Unacceptable"


@dataclass(frozen=True)
class Scale:
    kind: ScaleKind
    points: tuple[tuple[int, str], ...]
    default_proficient: int

    @property
    def values(self) -> list[int]:
        return sorted(value for value, _ in self.points)

    @property
    def size(self) -> int:
        return len(self.points)

    def label(self, value: int | None) -> str:
        return dict(self.points).get(value, "") if value is not None else ""

    def shown(self, value: int) -> str:
        """A scale point as pages show it: the number with its label ("3 Expected")."""
        label = self.label(value)
        return f"{value} {label}" if label and label != str(value) else str(value)


SCALES: dict[str, Scale] = {
    ScaleKind.THREE_LEVEL: Scale(
        ScaleKind.THREE_LEVEL, ((3, "Accomplished"), (2, "Acquiring"), (1, "Emerging")), 3),
    ScaleKind.FIVE_POINT: Scale(
        ScaleKind.FIVE_POINT,
        ((5, "5 – consistently"), (4, "4 – mostly"), (3, "3 – sometimes"), (2, "2 – rarely"),
         (1, "1 – not yet")), 4),
    ScaleKind.PROFILE: Scale(
        ScaleKind.PROFILE, ((3, "Expected"), (2, "Developmental"), (1, "Unacceptable")), 3),
}


def scale_of(kind: str) -> Scale:
    return SCALES[kind]
