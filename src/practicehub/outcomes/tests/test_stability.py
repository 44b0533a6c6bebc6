"""P5: placement moves per 1,000 days in care for children entering in the period."""

from __future__ import annotations

from pathlib import Path

from practicehub.outcomes.tests.builders import (
    Tables,
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
    placements = [placement(row["episode_id"], row["removal_date"]) for row in episodes]
    children = [child("C1"), child("C2"), child("C3")]
    assert total(tmp_path, P5, children=children, episodes=episodes,
                 placements=placements) == (0, 28 + 31)


def _one_month(cases: dict[str, list[tuple[str, str]]]) -> Tables:
    """One child per case, in care from 1 March to 1 April 2023 (31 days), with the case's
    placements as (start_date, end_date)."""
    children, episodes, placements = [], [], []
    for n, (office, rows) in enumerate(cases.items()):
        children.append(child(f"C{n}"))
        episodes.append(episode(f"E{n}", f"C{n}", "2023-03-01", "2023-04-01", office=office))
        placements += [placement(f"E{n}", start, end) for start, end in rows]
    return {"children": children, "episodes": episodes, "placements": placements}


def test_only_days_a_placement_covers_count(tmp_path: Path) -> None:
    result = by_office(tmp_path, P5, **_one_month({
        # 1–9 March, then 11–31 March: 10 March is not covered. 9 + 21 days, 1 move.
        "gap_of_one_day": [("2023-03-01", "2023-03-10"), ("2023-03-11", "")],
        # The end_date is the day the next starts: 9 + 22 days, nothing lost or counted twice.
        "end_is_next_start": [("2023-03-01", "2023-03-10"), ("2023-03-10", "2023-04-01")],
        # An empty end_date in the middle runs to the next start: 1–14 (14 days), 15–19 (5),
        # 20–24 not covered, 25–31 (the last, open, runs to the discharge: 7). 26 days, 2 moves.
        "empty_end_in_the_middle": [("2023-03-01", ""), ("2023-03-15", "2023-03-20"),
                                    ("2023-03-25", "")],
        # The first placement starts on 5 March: 1–4 March are not covered. 27 days, no move.
        "placed_4_days_after_removal": [("2023-03-05", "")],
        "no_placement": [],
    }))
    assert result == {"gap_of_one_day": (1, 30), "end_is_next_start": (1, 31),
                      "empty_end_in_the_middle": (2, 26), "placed_4_days_after_removal": (0, 27),
                      "no_placement": (0, 0)}


def test_overlapping_placements_count_each_day_once(tmp_path: Path) -> None:
    result = by_office(tmp_path, P5, **_one_month({
        # 1–19 March, 10–14 inside it, 18–24 overlapping its end: covered 1–24, 24 days; the
        # last ends before the discharge, so 25–31 are not covered. 2 moves.
        "overlapping": [("2023-03-01", "2023-03-20"), ("2023-03-10", "2023-03-15"),
                        ("2023-03-18", "2023-03-25")],
        # Two placements from 1 March; the first in the file has no end_date, so it runs to the
        # next start, the same day, and covers nothing; the other covers 1–31. 31 days, 1 move.
        "same_start_empty_end": [("2023-03-01", ""), ("2023-03-01", "2023-04-01")],
        # A placement ending past a later one's end still covers its days: 1–31, 31 days.
        "later_inside_earlier": [("2023-03-01", "2023-04-01"), ("2023-03-05", "2023-03-08")],
    }))
    assert result == {"overlapping": (2, 24), "same_start_empty_end": (1, 31),
                      "later_inside_earlier": (1, 31)}


def test_a_move_on_a_day_no_placement_covers_is_not_counted(tmp_path: Path) -> None:
    result = by_office(tmp_path, P5, **_one_month({
        # The second starts and ends on 10 March, so it covers no day and 10 March is not
        # covered: it does not start inside the counted days. 1–9 and 12–31 March: 9 + 20 days,
        # and the third placement is the one move.
        "same_day_placement": [("2023-03-01", "2023-03-10"), ("2023-03-10", "2023-03-10"),
                               ("2023-03-12", "")],
        # A later placement starting the same day covers 10 March, so both count: 9 + 22 days.
        "covered_by_a_later_one": [("2023-03-01", "2023-03-10"), ("2023-03-10", "2023-03-10"),
                                   ("2023-03-10", "2023-04-01")],
        # The same with the last one open: it runs to the discharge. 9 + 22 days, 2 moves.
        "covered_by_a_later_open_one": [("2023-03-01", "2023-03-10"),
                                        ("2023-03-10", "2023-03-10"), ("2023-03-10", "")],
        # Three start on 10 March: the open one runs to the next start, the same day, so none
        # covers it; 10–14 March are not covered. 9 + 17 days; only the 15 March one is a move.
        "none_of_three_covers": [("2023-03-01", "2023-03-10"), ("2023-03-10", "2023-03-10"),
                                 ("2023-03-10", ""), ("2023-03-10", "2023-03-10"),
                                 ("2023-03-15", "")],
    }))
    assert result == {"same_day_placement": (1, 29), "covered_by_a_later_one": (2, 31),
                      "covered_by_a_later_open_one": (2, 31), "none_of_three_covers": (1, 26)}


def test_covered_days_stop_at_the_period_end(tmp_path: Path) -> None:
    # Placed on 5 December (4 days after removal) and still there: 5–31 December, 27 days.
    placements = [placement("E1", "2023-12-05")]
    episodes = [episode("E1", "C1", "2023-12-01")]
    assert total(tmp_path, P5, children=[child("C1")], episodes=episodes,
                 placements=placements) == (0, 27)
