"""P5: placement moves per 1,000 days in care for children entering in the period."""

from __future__ import annotations

from pathlib import Path

from practicehub.outcomes.tests.builders import (
    by_office,
    child,
    episode,
    measure,
    placement,
    total,
)

P5 = "placement_moves_per_1000_days"


def test_moves_are_placements_after_the_first_except_home_visits_and_runaways(
    tmp_path: Path,
) -> None:
    placements = [
        placement("E1", "2023-03-01", "2023-04-01", "nonrelative_foster"),
        placement("E1", "2023-04-01", "2023-05-01", "relative_foster"),
        placement("E1", "2023-05-01", "2023-05-10", "trial_home_visit"),
        placement("E1", "2023-05-10", "2023-05-20", "runaway"),
        placement("E1", "2023-05-20", "2023-06-01", "group_home"),
    ]
    episodes = [episode("E1", "C1", "2023-03-01", "2023-06-01")]
    (row,) = measure(tmp_path, P5, children=[child("C1")], episodes=episodes,
                     placements=placements)
    assert (row.numerator, row.denominator) == (2, 92)
    assert row.value == 2 / 92 * 1000


def test_days_stop_at_the_period_end_and_at_the_18th_birthday(tmp_path: Path) -> None:
    placements = [
        placement("E1", "2023-12-01", "2023-12-15"),
        placement("E1", "2023-12-15", "2024-01-05"),
        placement("E1", "2024-01-05"),  # after the period: not counted
        placement("E2", "2023-07-01", "2023-07-15"),
        placement("E2", "2023-07-15", "2023-08-05"),
        placement("E2", "2023-08-05", "2023-09-01"),  # after the 18th birthday: not counted
    ]
    episodes = [
        episode("E1", "C1", "2023-12-01", office="to_period_end"),
        episode("E2", "C2", "2023-07-01", "2023-09-01", office="to_18th_birthday"),
    ]
    children = [child("C1"), child("C2", "2005-08-01")]
    result = by_office(tmp_path, P5, children=children, episodes=episodes, placements=placements)
    assert result == {"to_period_end": (1, 31), "to_18th_birthday": (1, 31)}


def test_the_first_placement_is_the_earliest_then_the_first_in_the_file(tmp_path: Path) -> None:
    placements = [
        placement("E1", "2023-03-01", "2023-04-01", "trial_home_visit"),
        placement("E1", "2023-03-01", "2023-04-01", "nonrelative_foster"),  # a move
        placement("E2", "2023-03-10", "2023-04-01", "relative_foster"),  # a move
        placement("E2", "2023-03-01", "2023-03-10", "nonrelative_foster"),  # the first
        placement("E2", "2023-03-01", "2023-03-10", "trial_home_visit"),  # not a move
    ]
    episodes = [
        episode("E1", "C1", "2023-03-01", "2023-04-01", office="home_visit_first"),
        episode("E2", "C2", "2023-03-01", "2023-04-01", office="foster_first"),
    ]
    result = by_office(tmp_path, P5, children=[child("C1"), child("C2")], episodes=episodes,
                       placements=placements)
    assert result == {"home_visit_first": (1, 31), "foster_first": (1, 31)}


def test_every_episode_entered_in_the_period_counts_but_not_short_or_earlier_ones(
    tmp_path: Path,
) -> None:
    episodes = [
        episode("E1", "C1", "2022-12-01", "2023-02-01", office="entered_before"),
        episode("E2", "C2", "2023-02-01", "2023-02-08", office="short"),
        episode("E3", "C3", "2023-02-01", "2023-03-01"),
        episode("E4", "C3", "2023-05-01", "2023-06-01"),
    ]
    children = [child("C1"), child("C2"), child("C3")]
    assert total(tmp_path, P5, children=children, episodes=episodes) == (0, 28 + 31)
