"""The fidelity rules, in one place.

- An observation meets fidelity when at least ``observation_share`` percent of its rated
  behaviors are at or above the tool's ``proficient_score`` (not observed / not applicable are
  left out; an observation with nothing rated has no result).
- A worker meets fidelity when at least ``worker_meeting`` of their latest ``worker_latest``
  scored observations meet fidelity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from practicehub.core.stats import wilson_interval
from practicehub.fidelity.models import Mark, Observation, ObservationTool
from practicehub.fidelity.services.errors import FidelityError


class ProficientShare:
    """The share of ``rated`` ratings that were ``proficient``, and its 95% Wilson interval, for
    the counts a dashboard row, a coaching month or a crosswalked item carries."""

    rated: int
    proficient: int

    @property
    def share(self) -> float | None:
        return self.proficient / self.rated if self.rated else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.proficient, self.rated)


@dataclass(frozen=True)
class RuleCheck:
    rated: int
    proficient: int
    meets: bool | None


def observation_result(proficient_score: int, share_percent: int,
                       scores: Iterable[int | None]) -> RuleCheck:
    """Apply the observation rule to one observation's scores (``None`` = not rated)."""
    rated_scores = [score for score in scores if score is not None]
    proficient = sum(1 for score in rated_scores if score >= proficient_score)
    if not rated_scores:
        return RuleCheck(0, 0, None)
    # Integer comparison, so 4 of 5 meets an 80 % rule exactly (no floating-point edge).
    return RuleCheck(len(rated_scores), proficient,
                     proficient * 100 >= share_percent * len(rated_scores))


def worker_result(tool: ObservationTool, latest_first: Sequence[bool | None]) -> bool:
    """Apply the worker rule to the worker's observation results, most recent first."""
    window = latest_first[: tool.worker_latest]
    return sum(1 for meets in window if meets) >= tool.worker_meeting


def validate_rule(scale_values: list[int], proficient_score: int, observation_share: int,
                  worker_latest: int, worker_meeting: int) -> list[str]:
    problems = []
    if proficient_score not in scale_values:
        problems.append(f"The proficient point must be one of {scale_values}.")
    if not 1 <= observation_share <= 100:
        problems.append("The share of proficient behaviors must be between 1 and 100 percent.")
    if worker_latest < 1:
        problems.append("Consider at least one observation per worker.")
    if not 1 <= worker_meeting <= worker_latest:
        problems.append("The observations that must meet fidelity cannot exceed those considered.")
    return problems


def rescore(observation: Observation) -> RuleCheck:
    """Recount a stored observation from its ratings and keep the result on the record."""
    tool = observation.tool
    counts = observation.ratings.aggregate(
        rated=Count("id", filter=Q(mark=Mark.RATED)),
        proficient=Count("id", filter=Q(mark=Mark.RATED, score__gte=tool.proficient_score)),
    )
    rated, proficient = counts["rated"], counts["proficient"]
    meets = None if rated == 0 else proficient * 100 >= tool.observation_share * rated
    observation.rated_count, observation.proficient_count = rated, proficient
    observation.meets_fidelity = meets
    observation.save(update_fields=["rated_count", "proficient_count", "meets_fidelity"])
    return RuleCheck(rated, proficient, meets)


def require(problems: list[str]) -> None:
    if problems:
        raise FidelityError(" ".join(problems))
