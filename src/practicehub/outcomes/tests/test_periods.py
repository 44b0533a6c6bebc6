"""Calendar rules and measurement periods (§2)."""

from __future__ import annotations

from datetime import date

import pytest

from practicehub.outcomes.engine.periods import (
    Period,
    PeriodError,
    add_months,
    age_on,
    eighteenth_birthday,
    parse_period,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2023, 12, 31), -24, date(2021, 12, 31)),
        (date(2023, 5, 15), 14, date(2024, 7, 15)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_months_last_day(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


def test_the_18th_birthday_of_a_29_february_child_is_28_february() -> None:
    assert eighteenth_birthday(date(2004, 2, 29)) == date(2022, 2, 28)
    assert eighteenth_birthday(date(2000, 2, 29)) == date(2018, 2, 28)
    assert eighteenth_birthday(date(2006, 3, 1)) == date(2024, 3, 1)


def test_age_counts_whole_years_with_the_leap_day_birthday_on_28_february() -> None:
    assert age_on(date(2004, 2, 29), date(2022, 2, 27)) == 17
    assert age_on(date(2004, 2, 29), date(2022, 2, 28)) == 18
    assert age_on(date(2004, 2, 29), date(2024, 2, 28)) == 19
    assert age_on(date(2020, 6, 15), date(2021, 6, 14)) == 0


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("23A23B", date(2022, 10, 1), date(2023, 9, 30)),
        ("24B25A", date(2024, 4, 1), date(2025, 3, 31)),
        ("23a23b", date(2022, 10, 1), date(2023, 9, 30)),
        ("21A", date(2020, 10, 1), date(2021, 3, 31)),
        ("2023-01-01:2023-12-31", date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_federal_period_codes_and_iso_periods(code: str, start: date, end: date) -> None:
    assert parse_period(code) == Period(start, end)


@pytest.mark.parametrize(
    "text", ["2023-13-01:2023-12-31", "23C23A", "2023-12-31:2023-01-01", "24A23B", "2023",
             "2023-1-1:2023-12-31"],
)
def test_an_unreadable_period_is_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)
