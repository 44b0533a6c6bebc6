"""Run-chart signals as a quality-improvement reader expects them (the Wilson interval's own
tests are in core/tests/test_stats.py)."""

from __future__ import annotations

from practicehub.fidelity.services.runchart import Signal, run_chart


def test_six_points_above_the_median_are_a_shift() -> None:
    chart = run_chart([5, 5, 5, 5, 5, 5, 1, 1, 1, 1, 1, 1, 3])
    assert chart.median == 3.0
    assert Signal("shift", "above", 0, 5) in chart.signals
    assert Signal("shift", "below", 6, 11) in chart.signals


def test_five_points_on_one_side_are_not_yet_a_shift() -> None:
    chart = run_chart([5, 5, 5, 5, 5, 1, 1, 1, 1, 1])
    assert [s for s in chart.signals if s.kind == "shift"] == []


def test_points_on_the_median_neither_count_nor_break_a_shift() -> None:
    chart = run_chart([9, 9, 9, 5, 9, 9, 9, 1, 1, 1, 1, 1, 1, 1])
    assert Signal("shift", "above", 0, 6) in chart.signals


def test_five_points_going_down_are_a_trend_and_ties_are_skipped() -> None:
    chart = run_chart([1, 2, 3, 4, 3, 2, 2, 1, 0])
    assert [s for s in chart.signals if s.kind == "trend"] == [Signal("trend", "down", 3, 8)]
    assert chart.flags(9)[8] == "trend"


def test_four_points_going_up_are_not_a_trend() -> None:
    assert run_chart([1, 2, 3, 4, 4, 4]).signals == ()

