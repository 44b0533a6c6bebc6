"""P1, P2, P3: permanency in 12 months. Every case is worked by hand; each case has its own office
so one computation checks several cases."""

from __future__ import annotations

from pathlib import Path

from practicehub.outcomes.tests.builders import (
    Row,
    Tables,
    by_office,
    child,
    episode,
    placement,
    total,
)

P1 = "permanency_12m_entries"


def test_a_stay_of_seven_days_is_short_and_eight_is_not(tmp_path: Path) -> None:
    episodes = [
        episode("E1", "C1", "2023-03-01", "2023-03-08", office="seven"),
        episode("E2", "C2", "2023-03-01", "2023-03-09", office="eight"),
    ]
    result = by_office(tmp_path, P1, children=[child("C1"), child("C2")], episodes=episodes)
    assert result == {"eight": (1, 1)}


def test_permanency_counts_up_to_exactly_12_months_after_removal(tmp_path: Path) -> None:
    episodes = [
        episode("E1", "C1", "2023-01-31", "2024-01-31", office="on_the_day"),
        episode("E2", "C2", "2023-01-31", "2024-02-01", office="a_day_late"),
    ]
    result = by_office(tmp_path, P1, children=[child("C1"), child("C2")], episodes=episodes)
    assert result == {"on_the_day": (1, 1), "a_day_late": (0, 1)}


def test_twelve_months_from_29_february_end_on_28_february(tmp_path: Path) -> None:
    episodes = [
        episode("E1", "C1", "2024-02-29", "2025-02-28", office="feb_28"),
        episode("E2", "C2", "2024-02-29", "2025-03-01", office="mar_1"),
    ]
    result = by_office(
        tmp_path, P1, "2024-01-01:2024-12-31", children=[child("C1"), child("C2")],
        episodes=episodes,
    )
    assert result == {"feb_28": (1, 1), "mar_1": (0, 1)}


Case = tuple[Row, Row, list[Row]]


def _thv_case(n: int, office: str, visit_start: str, discharge: str, *,
              reason: str = "reunification", last: str = "trial_home_visit",
              after: str | None = None) -> Case:
    """A child removed on 2023-02-10 (12 months end 2024-02-10) with a last placement."""
    episode_id = f"E{n}"
    placements = [placement(episode_id, "2023-02-10", visit_start),
                  placement(episode_id, visit_start, after or discharge, last)]
    if after is not None:
        placements.append(placement(episode_id, after, discharge, "relative_foster"))
    return (child(f"C{n}"),
            episode(episode_id, f"C{n}", "2023-02-10", discharge, reason, office=office),
            placements)


def test_a_trial_home_visit_counts_for_its_first_30_days_only(tmp_path: Path) -> None:
    cases = [
        # 30 days at home ending on the 12-month day: counted as it stands.
        _thv_case(1, "thv_30_days", "2024-01-11", "2024-02-10"),
        # 31 days ending a day late: the effective discharge is day 30, on time.
        _thv_case(2, "thv_31_days", "2024-01-11", "2024-02-11"),
        # 30 days ending a day late: no adjustment, late.
        _thv_case(3, "thv_30_days_late", "2024-01-12", "2024-02-11"),
        # Not a trial home visit, or not a reunification, or not the last placement: no adjustment.
        _thv_case(4, "foster_31_days", "2024-01-11", "2024-02-11", last="relative_foster"),
        _thv_case(5, "guardianship_31", "2024-01-11", "2024-02-11", reason="guardianship"),
        _thv_case(6, "thv_not_last", "2024-01-11", "2024-02-11", after="2024-02-01"),
    ]
    result = by_office(
        tmp_path, P1, children=[c for c, _, _ in cases], episodes=[e for _, e, _ in cases],
        placements=[p for _, _, ps in cases for p in ps],
    )
    assert result == {
        "thv_30_days": (1, 1), "thv_31_days": (1, 1), "thv_30_days_late": (0, 1),
        "foster_31_days": (0, 1), "guardianship_31": (0, 1), "thv_not_last": (0, 1),
    }


def test_each_child_counts_once_with_its_earliest_eligible_entry(tmp_path: Path) -> None:
    episodes = [
        # C1's first entry is a short stay, so its second entry is the one counted.
        episode("E1", "C1", "2023-02-01", "2023-02-05", office="short_first"),
        episode("E2", "C1", "2023-03-01", "2023-05-01", office="second_counted"),
        # C2's first entry counts (no permanency); its later permanency does not.
        episode("E3", "C2", "2023-02-01", "2023-08-01", "transfer", office="first_counted"),
        episode("E4", "C2", "2023-09-01", "2023-10-01", office="later_ignored"),
    ]
    result = by_office(tmp_path, P1, children=[child("C1"), child("C2")], episodes=episodes)
    assert result == {"second_counted": (1, 1), "first_counted": (0, 1)}


def test_permanency_must_come_before_the_18th_birthday(tmp_path: Path) -> None:
    children = [child("C1", "2005-06-15"), child("C2", "2005-06-15"), child("C3", "2005-01-20")]
    episodes = [
        episode("E1", "C1", "2023-01-10", "2023-06-14", office="day_before"),
        episode("E2", "C2", "2023-01-10", "2023-06-15", office="on_birthday"),
        episode("E3", "C3", "2023-01-20", "2023-03-01", office="entered_at_18"),
    ]
    result = by_office(tmp_path, P1, children=children, episodes=episodes)
    assert result == {"day_before": (1, 1), "on_birthday": (0, 1)}


def test_a_child_born_on_29_february_turns_18_on_28_february(tmp_path: Path) -> None:
    children = [child("C1", "2004-02-29"), child("C2", "2004-02-29")]
    episodes = [
        episode("E1", "C1", "2022-02-27", "2022-04-01", office="aged_17"),
        episode("E2", "C2", "2022-02-28", "2022-04-01", office="aged_18"),
    ]
    result = by_office(tmp_path, P1, "2022-01-01:2022-12-31", children=children,
                       episodes=episodes)
    # Removed the day before turning 18: counted, but discharged after 18, so no permanency.
    assert result == {"aged_17": (0, 1)}


def test_only_reunification_relative_guardianship_and_adoption_are_permanency(
    tmp_path: Path,
) -> None:
    reasons = ["reunification", "relative", "guardianship", "adoption", "emancipation",
               "transfer", "runaway", "death"]
    children = [child(f"C{n}") for n in range(len(reasons))]
    episodes = [
        episode(f"E{n}", f"C{n}", "2023-01-10", "2023-06-10", reason, office=reason)
        for n, reason in enumerate(reasons)
    ]
    result = by_office(tmp_path, P1, children=children, episodes=episodes)
    assert result == {reason: (int(n < 4), 1) for n, reason in enumerate(reasons)}


def test_a_child_still_in_care_is_in_the_denominator_only(tmp_path: Path) -> None:
    episodes = [episode("E1", "C1", "2023-05-01"), episode("E2", "C2", "2022-05-01")]
    assert total(tmp_path, P1, children=[child("C1"), child("C2")], episodes=episodes) == (0, 1)


def _in_care_on_first_day() -> Tables:
    children = [child(f"C{n}") for n in range(1, 6)]
    children += [child("C6", "2005-01-01"), child("C7", "2005-06-01")]
    episodes = [
        episode("E1", "C1", "2022-01-01", "2023-12-31", office="in_care_12m"),
        episode("E2", "C2", "2022-01-02", "2023-03-01", office="in_care_11m"),
        episode("E3", "C3", "2021-01-02", "2024-01-01", office="in_care_23m"),
        episode("E4", "C4", "2021-01-01", "2023-06-01", "adoption", office="in_care_24m"),
        episode("E5", "C5", "2021-06-01", "2023-01-01", office="left_on_day_one"),
        episode("E6", "C6", "2021-06-01", office="aged_18_on_day_one"),
        episode("E7", "C7", "2021-06-01", "2023-06-01", office="left_on_18th_birthday"),
    ]
    return {"children": children, "episodes": episodes}


def test_p2_takes_children_in_care_12_to_23_months_on_the_first_day(tmp_path: Path) -> None:
    result = by_office(tmp_path, "permanency_12m_12_23", **_in_care_on_first_day())
    assert result == {"in_care_12m": (1, 1), "in_care_23m": (0, 1),
                      "left_on_18th_birthday": (0, 1)}


def test_p3_takes_children_in_care_24_months_or_more_on_the_first_day(tmp_path: Path) -> None:
    result = by_office(tmp_path, "permanency_12m_24plus", **_in_care_on_first_day())
    assert result == {"in_care_24m": (1, 1)}
