"""Small statistics on counts already aggregated by the database."""

from __future__ import annotations

import math

Z_95 = 1.959963984540054


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion; unlike the normal approximation it stays inside
    0–1 and behaves for the small groups sites often have."""
    if total == 0:
        return (0.0, 1.0)
    share = successes / total
    z2 = z * z
    denominator = 1 + z2 / total
    centre = (share + z2 / (2 * total)) / denominator
    half = z * math.sqrt(share * (1 - share) / total + z2 / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))
