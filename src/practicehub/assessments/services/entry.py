"""Reading the score-entry grid a page posts: one agreed score per item, plus each voter's vote
when the team scores by consensus. Problems name the item so the person can find it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from practicehub.assessments.services.scoring import items_of
from practicehub.implementation.services.access import InvalidInput


def voters_from(text: str) -> list[str]:
    """Voter names from a comma-separated list, blanks and repeats dropped, order kept."""
    seen: dict[str, None] = {}
    for name in text.split(","):
        if name.strip():
            seen.setdefault(name.strip(), None)
    return list(seen)


def _number(value: str, field: str, code: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(field, f"item {code!r}: choose a score") from None


def read_grid(spec: dict[str, Any], post: Mapping[str, str], voters: list[str]
              ) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Scores (``score-<item>``) and votes (``vote-<item>-<n>`` for the n-th voter)."""
    scores: dict[str, int] = {}
    votes: dict[str, dict[str, int]] = {}
    for item in items_of(spec):
        scores[item.code] = _number(post.get(f"score-{item.code}", ""), "scores", item.code)
        for index, voter in enumerate(voters):
            raw = post.get(f"vote-{item.code}-{index}", "")
            if raw != "":
                votes.setdefault(item.code, {})[voter] = _number(raw, "votes", item.code)
    return scores, votes


def read_version(post: Mapping[str, str]) -> int:
    """The ``edit_version`` the grid was drawn from (ADR 0009)."""
    raw = post.get("edit_version", "")
    if not raw.isdigit():
        raise InvalidInput("edit_version", "the page did not say which saved scores you edited; "
                           "open the page again and enter your scores there")
    return int(raw)
