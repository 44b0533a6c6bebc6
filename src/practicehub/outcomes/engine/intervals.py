"""95% intervals: Wilson score for proportions, exact (Garwood) Poisson for rates.

The Wilson interval is the one in ``core.stats``, shared with fidelity (no trials give None; none
or all successes give an exact 0 or 1 bound). They run in Python on the aggregated result, which
has one row per group, not per child. The chi-square quantiles of the Poisson interval come from
the inverse regularised incomplete gamma function (chi2.ppf(p, 2k) / 2 = gammaincinv(k, p)),
which spares importing all of scipy.stats.
"""

from __future__ import annotations

from scipy.special import gammaincinv

from practicehub.core.stats import wilson_interval

__all__ = ["CONFIDENCE", "poisson_interval", "rate_interval", "wilson_interval"]

CONFIDENCE = 0.95


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
