"""How an observation's ratings and notes read in a refused stale edit (ADR 0009)."""

from __future__ import annotations

from collections.abc import Mapping

from practicehub.core.services.versioning import EMPTY, Shown
from practicehub.fidelity.models import Mark, Observation

Entry = tuple[str, int | None]


def _rating_text(observation: Observation, mark: str, score: int | None) -> str:
    if mark == Mark.RATED:
        label = observation.tool.scale_def.label(score)
        return f"{score} {label}".strip()
    return str(Mark(mark).label)


def _labels(observation: Observation) -> dict[int, str]:
    return {rating.behavior_id: f"{rating.behavior.code} {rating.behavior.text}"
            for rating in observation.ratings.select_related("behavior")}


def content(observation: Observation) -> dict[str, Shown]:
    """The saved ratings (keyed ``b<behavior id>``, as the forms name them) and notes."""
    shown: dict[str, Shown] = {
        f"b{rating.behavior_id}": (f"{rating.behavior.code} {rating.behavior.text}",
                                   _rating_text(observation, rating.mark, rating.score))
        for rating in observation.ratings.select_related("behavior")}
    shown["notes"] = ("Notes", observation.notes or EMPTY)
    return shown


def sent(observation: Observation, entries: Mapping[int, Entry],
         notes: str | None = None) -> dict[str, Shown]:
    """What a save sends, in the same keys; behaviors the tool does not rate are left to the
    write, which refuses them."""
    labels = _labels(observation)
    shown: dict[str, Shown] = {
        f"b{behavior_id}": (labels[behavior_id], _rating_text(observation, mark, score))
        for behavior_id, (mark, score) in entries.items() if behavior_id in labels}
    if notes is not None:
        shown["notes"] = ("Notes", notes or EMPTY)
    return shown
