"""Children in care 24 and 36 months or more on the reference date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from practicehub.outcomes.tests.builders import Tables, by_office, child, episode

LONG_24 = "in_care_long_term_24m"
LONG_36 = "in_care_long_term_36m"


def _cases() -> Tables:
    children = [child(f"C{n}") for n in range(1, 5)] + [child("C5", "2005-12-31")]
    episodes = [
        episode("E1", "C1", "2021-12-31", office="exactly_24m"),
        episode("E2", "C2", "2022-01-01", office="a_day_short"),
        episode("E3", "C3", "2020-12-31", office="exactly_36m"),
        episode("E4", "C4", "2019-01-01", "2023-12-31", office="left_on_the_day"),
        episode("E5", "C5", "2019-01-01", office="aged_18_on_the_day"),
    ]
    return {"children": children, "episodes": episodes}


def test_long_stays_are_counted_on_the_period_end(tmp_path: Path) -> None:
    assert by_office(tmp_path, LONG_24, **_cases()) == {
        "exactly_24m": (1, 1), "a_day_short": (0, 1), "exactly_36m": (1, 1),
    }


def test_thirty_six_months_counts_only_the_longest_stays(tmp_path: Path) -> None:
    assert by_office(tmp_path, LONG_36, **_cases()) == {
        "exactly_24m": (0, 1), "a_day_short": (0, 1), "exactly_36m": (1, 1),
    }


def test_a_reference_date_replaces_the_period_end(tmp_path: Path) -> None:
    children = [child("C1"), child("C2")]
    episodes = [
        # 24 months before 2024-02-29 is 2022-02-28.
        episode("E1", "C1", "2022-02-28", office="feb_28"),
        episode("E2", "C2", "2022-03-01", office="mar_1"),
    ]
    result = by_office(tmp_path, LONG_24, reference_date=date(2024, 2, 29), children=children,
                       episodes=episodes)
    assert result == {"feb_28": (1, 1), "mar_1": (0, 1)}
