"""Agreement statistics against examples worked by hand.

Example A, a 3-point scale, six sessions rated by two observers:
(1,1) (1,2) (2,2) (2,3) (3,3) (3,3).

- Exact agreement: 4 of 6 = 0.6667. Adjacent (within one point): 6 of 6 = 1.
- Marginals: first observer 1:2, 2:2, 3:2; second observer 1:1, 2:2, 3:3; n = 6.
- Linear weights w = 1 − |i−j|/2: 1, 0.5, 0. Observed Σw·p = (4·1 + 2·0.5)/6 = 30/36.
  Expected Σw·p_i·p_j = [2·1·1 + 0.5·2·2 + 0.5·2·1 + 1·2·2 + 0.5·2·3 + 0.5·2·2 + 1·2·3]/36
  = 20/36. κ_linear = (30/36 − 20/36)/(1 − 20/36) = 10/16 = 0.625.
- Quadratic weights w = 1 − (i−j)²/4: 1, 0.75, 0. Observed = (4 + 2·0.75)/6 = 33/36.
  Expected = [2 + 3 + 1.5 + 4 + 4.5 + 3 + 6]/36 = 24/36. κ_quadratic = 9/12 = 0.75.
- Krippendorff: coincidences o11=2, o12=o21=1, o22=2, o23=o32=1, o33=4; margins n1=3, n2=4,
  n3=5, n=12. Ordinal δ²: δ12 = (7 − 3.5)² = 12.25, δ23 = (9 − 4.5)² = 20.25,
  δ13 = (12 − 4)² = 64. Disagreement Σo·δ² = 2·12.25 + 2·20.25 = 65. Chance Σn_c·n_k·δ²
  = 2·(3·4·12.25 + 4·5·20.25 + 3·5·64) = 3024. α = 1 − (n−1)·65/3024 = 1 − 715/3024
  = 2309/3024 = 0.76356.

Example B, opposite ends every time: (1,3) (3,1). Exact 0, adjacent 0. Marginals 1:1, 3:1 for
both observers, n = 2. Linear weights: observed Σw·p = 0 (both cells weigh 0); expected
= (w11·1·1 + w13·1·1 + w31·1·1 + w33·1·1)/4 = (1 + 0 + 0 + 1)/4 = 0.5. κ = (0 − 0.5)/0.5 = −1.
"""

from __future__ import annotations

import pytest

from practicehub.fidelity.services.agreement import agreement, weighted_kappa

EXAMPLE_A = [(1, 1), (1, 2), (2, 2), (2, 3), (3, 3), (3, 3)]


def test_example_a_gives_the_hand_worked_figures() -> None:
    result = agreement(EXAMPLE_A, [1, 2, 3])
    assert result.pairs == 6
    assert result.exact == pytest.approx(4 / 6)
    assert result.adjacent == pytest.approx(1.0)
    assert result.kappa_linear == pytest.approx(0.625)
    assert result.kappa_quadratic == pytest.approx(0.75)
    assert result.alpha_ordinal == pytest.approx(2309 / 3024)


def test_opposite_ends_every_time_is_perfect_disagreement() -> None:
    result = agreement([(1, 3), (3, 1)], [1, 2, 3])
    assert (result.exact, result.adjacent) == (0.0, 0.0)
    assert result.kappa_linear == pytest.approx(-1.0)


def test_agreement_is_undefined_when_both_observers_used_one_point_only() -> None:
    result = agreement([(2, 2), (2, 2)], [1, 2, 3])
    assert result.exact == 1.0
    assert result.kappa_linear is None
    assert result.alpha_ordinal is None


def test_kappa_does_not_depend_on_the_numbers_used_for_the_points() -> None:
    shifted = [(a + 2, b + 2) for a, b in EXAMPLE_A]
    assert weighted_kappa(shifted, [3, 4, 5], "linear") == pytest.approx(0.625)


def test_no_pairs_gives_no_figures() -> None:
    result = agreement([], [1, 2, 3])
    assert result.exact is None
    assert result.alpha_ordinal is None
