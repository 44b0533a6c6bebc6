"""The one Wilson score interval, for fidelity shares and outcome measures alike.

Pure Python (no Django, no scipy), so the outcome engine, which imports no Django, may use it
too. The Wilson interval stays inside 0–1 and behaves for the small groups sites often have,
where the normal approximation does not.
"""

from __future__ import annotations

import math

# The two-sided 95 % quantile of the normal distribution, ndtri(0.975), to double precision.
Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int) -> tuple[float, float] | None:
    """The 95 % Wilson score interval of successes / trials; None when there are no trials
    (no proportion, so no interval), as a share of nothing is None too."""
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be between 0 and trials ({trials}), not {successes}")
    share = successes / trials
    z2 = Z_95 * Z_95
    denominator = 1 + z2 / trials
    centre = (share + z2 / (2 * trials)) / denominator
    half = Z_95 * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials)) / denominator
    # At none and at all successes a bound is exactly 0 or 1; rounding would leave 5e-17.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high
