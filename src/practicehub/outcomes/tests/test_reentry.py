"""P4: re-entry within 12 months of a discharge to reunification, a relative or a guardian."""

from __future__ import annotations

from pathlib import Path

from practicehub.outcomes.tests.builders import by_office, child, episode

P4 = "reentry_12m"


def test_a_reentry_at_exactly_12_months_counts_and_a_day_later_does_not(tmp_path: Path) -> None:
    episodes = [
        episode("E1", "C1", "2022-06-01", "2023-03-31", office="exactly_12m"),
        episode("E2", "C1", "2024-03-31", office="back"),
        episode("E3", "C2", "2022-06-01", "2023-03-31", office="a_day_later"),
        episode("E4", "C2", "2024-04-01", office="back"),
        # 12 months after 28 February 2023 end on 28 February 2024, not on the 29th.
        episode("E5", "C3", "2022-06-01", "2023-02-28", office="from_28_february"),
        episode("E6", "C3", "2024-02-29", office="back"),
        episode("E7", "C4", "2022-06-01", "2023-05-01", office="same_day"),
        episode("E8", "C4", "2023-05-01", office="back"),
    ]
    children = [child(f"C{n}") for n in range(1, 5)]
    result = by_office(tmp_path, P4, children=children, episodes=episodes)
    assert result == {"exactly_12m": (1, 1), "a_day_later": (0, 1),
                      "from_28_february": (0, 1), "same_day": (1, 1)}


def test_the_cohort_is_each_childs_first_qualifying_discharge(tmp_path: Path) -> None:
    children = [child(f"C{n}") for n in range(1, 8)] + [child("C8", "2005-06-01")]
    episodes = [
        episode("E1", "C1", "2022-06-01", "2023-03-01", "adoption", office="adoption"),
        episode("E2", "C2", "2023-03-01", "2023-03-06", office="short_stay"),
        episode("E3", "C3", "2022-06-01", "2023-03-01", "emancipation", office="emancipation"),
        episode("E4", "C4", "2022-06-01", "2023-03-01", "relative", office="relative"),
        episode("E5", "C5", "2022-06-01", "2023-03-01", "guardianship", office="guardianship"),
        episode("E6", "C6", "2022-06-01", "2023-02-01", office="first_of_two"),
        episode("E7", "C6", "2023-03-01", "2023-08-01", office="second_of_two"),
        episode("E8", "C8", "2022-06-01", "2023-06-01", office="discharged_at_18"),
    ]
    result = by_office(tmp_path, P4, children=children, episodes=episodes)
    assert result == {"short_stay": (0, 1), "relative": (0, 1), "guardianship": (0, 1),
                      "first_of_two": (1, 1)}


def test_a_short_stay_discharge_is_in_the_cohort_and_can_be_the_childs_earliest(
    tmp_path: Path,
) -> None:
    children = [child("C1"), child("C2")]
    episodes = [
        # 3 days in care, home on 4 March, back on 1 June: 1 of 1.
        episode("E1", "C1", "2023-03-01", "2023-03-04", office="short_stay_back"),
        episode("E2", "C1", "2023-06-01", office="short_stay_back"),
        # The 4-day stay's discharge (5 February) is the earliest: it re-entered on the 10th, so 1
        # of 1, where v1 took the discharge of 1 June, with no re-entry after it (0 of 1).
        episode("E3", "C2", "2023-02-01", "2023-02-05", office="short_stay_first"),
        episode("E4", "C2", "2023-02-10", "2023-06-01", office="short_stay_first"),
    ]
    result = by_office(tmp_path, P4, children=children, episodes=episodes)
    assert result == {"short_stay_back": (1, 1), "short_stay_first": (1, 1)}
