"""The one Wilson interval: the textbook figures both apps checked, its edges, and scipy's
Wilson interval over any counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import ndtri
from scipy.stats import binomtest

from practicehub.core.stats import Z_95, wilson_interval

Z2 = Z_95 * Z_95


def test_the_constant_is_the_normal_quantile() -> None:
    assert float(ndtri(0.975)) == Z_95


def test_8_in_10_and_81_in_263_match_the_textbooks() -> None:
    low, high = wilson_interval(8, 10) or (0.0, 0.0)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    # Newcombe (1998), Statistics in Medicine 17:857, example (81/263): 0.2553 to 0.3662.
    low, high = wilson_interval(81, 263) or (0.0, 0.0)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_none_and_all_successes_have_an_exact_bound() -> None:
    assert wilson_interval(0, 10) == pytest.approx((0.0, Z2 / (10 + Z2)))
    assert wilson_interval(0, 4)[0] == 0.0  # type: ignore[index]
    assert wilson_interval(10, 10) == pytest.approx((10 / (10 + Z2), 1.0))
    assert wilson_interval(4, 4)[1] == 1.0  # type: ignore[index]
    assert wilson_interval(5, 10) == pytest.approx((0.2365931, 0.7634069), abs=1e-7)


def test_no_trials_have_no_interval_and_impossible_counts_are_refused() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="between 0 and trials"):
        wilson_interval(5, 4)


@given(st.integers(min_value=1, max_value=100_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))
def test_it_matches_scipys_wilson_interval(counts: tuple[int, int]) -> None:
    successes, trials = counts
    expected = binomtest(successes, trials).proportion_ci(method="wilson")
    low, high = wilson_interval(successes, trials) or (-1.0, -1.0)
    assert low == pytest.approx(expected.low, abs=1e-12)
    assert high == pytest.approx(expected.high, abs=1e-12)
    assert 0.0 <= low <= successes / trials <= high <= 1.0
