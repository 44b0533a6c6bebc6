"""95% intervals: Wilson score for proportions, exact (Garwood) Poisson for rates.

They run in Python on the aggregated result, which has one row per group, not per child. The
chi-square quantiles of the Poisson interval come from the inverse regularised incomplete gamma
function (chi2.ppf(p, 2k) / 2 = gammaincinv(k, p)), which spares importing all of scipy.stats.
"""

from __future__ import annotations

import math

from scipy.special import gammaincinv, ndtri

CONFIDENCE = 0.95
_Z = float(ndtri(0.5 + CONFIDENCE / 2))  # 1.959963984540054


def wilson_interval(successes: int, trials: int) -> tuple[float, float] | None:
    """Wilson score interval for successes / trials; None when there are no trials."""
    if trials <= 0:
        return None
    p = successes / trials
    z2 = _Z * _Z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = _Z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # At 0 and at all successes a bound is exactly 0 or 1; rounding would leave 5e-17.
    low = 0.0 if successes == 0 else centre - half
    high = 1.0 if successes == trials else centre + half
    return low, high


def poisson_interval(count: int) -> tuple[float, float]:
    """Exact interval for a Poisson count, from the chi-square quantiles (Garwood 1936)."""
    alpha = 1 - CONFIDENCE
    low = 0.0 if count == 0 else float(gammaincinv(count, alpha / 2))
    high = float(gammaincinv(count + 1, 1 - alpha / 2))
    return low, high


def rate_interval(count: int, denominator: int, scale: float) -> tuple[float, float] | None:
    """The Poisson interval of ``count`` divided by ``denominator`` and scaled like the rate."""
    if denominator <= 0:
        return None
    low, high = poisson_interval(count)
    return low / denominator * scale, high / denominator * scale
