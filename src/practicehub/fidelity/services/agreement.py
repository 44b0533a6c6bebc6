"""Agreement between two observers rating the same sessions on an ordinal scale.

Each function takes pairs (first observer's point, second observer's point) for the items both
rated, and the scale's points in order. Formulas are in docs/fidelity.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

Pair = tuple[int, int]


@dataclass(frozen=True)
class Agreement:
    pairs: int
    exact: float | None
    adjacent: float | None
    kappa_linear: float | None
    kappa_quadratic: float | None
    alpha_ordinal: float | None


def exact_agreement(pairs: Sequence[Pair]) -> float | None:
    return sum(1 for a, b in pairs if a == b) / len(pairs) if pairs else None


def adjacent_agreement(pairs: Sequence[Pair]) -> float | None:
    """Share of pairs within one point of each other (exact agreement included)."""
    return sum(1 for a, b in pairs if abs(a - b) <= 1) / len(pairs) if pairs else None


def _weight(i: int, j: int, k: int, kind: str) -> float:
    if kind == "linear":
        return 1 - abs(i - j) / (k - 1)
    return 1 - (i - j) ** 2 / (k - 1) ** 2


def weighted_kappa(pairs: Sequence[Pair], points: Sequence[int], kind: str) -> float | None:
    """Cohen's kappa with agreement weights by distance in rank (``kind``: linear/quadratic).

    Undefined (None) when the expected weighted agreement is already perfect, e.g. both observers
    used a single point throughout.
    """
    if not pairs or len(points) < 2:
        return None
    rank = {point: index for index, point in enumerate(sorted(points))}
    k, n = len(points), len(pairs)
    joint = Counter((rank[a], rank[b]) for a, b in pairs)
    first = Counter(rank[a] for a, _ in pairs)
    second = Counter(rank[b] for _, b in pairs)
    observed = sum(_weight(i, j, k, kind) * count / n for (i, j), count in joint.items())
    expected = sum(_weight(i, j, k, kind) * first[i] * second[j] / (n * n)
                   for i in first for j in second)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha_ordinal(pairs: Sequence[Pair], points: Sequence[int]) -> float | None:
    """Krippendorff's alpha with the ordinal difference, for two observers and no missing values.

    Each pair adds both orderings to the coincidence matrix; the ordinal distance between points
    c < k is (sum of marginals n_c..n_k − (n_c + n_k)/2)².
    """
    if not pairs:
        return None
    ordered = sorted(points)
    coincidence: Counter[Pair] = Counter()
    for a, b in pairs:
        coincidence[(a, b)] += 1
        coincidence[(b, a)] += 1
    margin = Counter[int]()
    for (a, _), count in coincidence.items():
        margin[a] += count
    total = sum(margin.values())

    def delta(c: int, k: int) -> float:
        low, high = sorted((ordered.index(c), ordered.index(k)))
        between = sum(margin[point] for point in ordered[low:high + 1])
        return float((between - (margin[c] + margin[k]) / 2) ** 2)

    disagreement = sum(count * delta(c, k) for (c, k), count in coincidence.items())
    chance = sum(margin[c] * margin[k] * delta(c, k) for c in margin for k in margin)
    if chance == 0:
        return None
    return 1 - (total - 1) * disagreement / chance


def agreement(pairs: Sequence[Pair], points: Sequence[int]) -> Agreement:
    return Agreement(
        pairs=len(pairs),
        exact=exact_agreement(pairs),
        adjacent=adjacent_agreement(pairs),
        kappa_linear=weighted_kappa(pairs, points, "linear"),
        kappa_quadratic=weighted_kappa(pairs, points, "quadratic"),
        alpha_ordinal=krippendorff_alpha_ordinal(pairs, points),
    )
