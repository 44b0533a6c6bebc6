"""Wilson and exact Poisson intervals against values worked out independently."""

from __future__ import annotations

import pytest

from practicehub.outcomes.engine.intervals import poisson_interval, rate_interval, wilson_interval

Z2 = 1.959963984540054**2


def test_wilson_interval_at_zero_half_and_all() -> None:
    # Closed forms: 0/n has upper z²/(n+z²); n/n has lower n/(n+z²).
    assert wilson_interval(0, 10) == pytest.approx((0.0, Z2 / (10 + Z2)))
    assert wilson_interval(10, 10) == pytest.approx((10 / (10 + Z2), 1.0))
    assert wilson_interval(5, 10) == pytest.approx((0.2365931, 0.7634069), abs=1e-7)


def test_wilson_interval_of_a_published_example() -> None:
    # Newcombe (1998), example 81/263: 0.2553 to 0.3662.
    low, high = wilson_interval(81, 263) or (0.0, 0.0)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_no_trials_give_no_interval() -> None:
    assert wilson_interval(0, 0) is None
    assert rate_interval(0, 0, 1000) is None


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [(0, 0.0, 3.6889), (1, 0.0253, 5.5716), (5, 1.6235, 11.6683), (10, 4.7954, 18.3904)],
)
def test_exact_poisson_interval_matches_the_garwood_table(
    count: int, low: float, high: float
) -> None:
    assert poisson_interval(count) == pytest.approx((low, high), abs=1e-4)


def test_a_rate_interval_is_the_count_interval_divided_and_scaled() -> None:
    assert rate_interval(10, 2000, 1000) == pytest.approx((4.7954 / 2, 18.3904 / 2), abs=1e-4)
