"""Rolling periods for trends, and ``compute --rolling``. Dates worked by hand."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.outcomes.engine.periods import Period, PeriodError, parse_period, rolling_periods
from practicehub.outcomes.tests.builders import child, episode, write_data


def spans(periods: list[Period]) -> list[str]:
    return [str(period) for period in periods]


def test_four_quarterly_steps_back_from_23a23b() -> None:
    assert spans(rolling_periods(parse_period("23A23B"), 4)) == [
        "2022-01-01:2022-12-31",
        "2022-04-01:2023-03-31",
        "2022-07-01:2023-06-30",
        "2022-10-01:2023-09-30",
    ]


def test_a_period_ending_on_29_february_keeps_ending_on_month_ends() -> None:
    last = parse_period("2023-03-01:2024-02-29")
    assert spans(rolling_periods(last, 3)) == [
        "2022-09-01:2023-08-31",
        "2022-12-01:2023-11-30",  # not 29 November, as plain month arithmetic would give
        "2023-03-01:2024-02-29",
    ]
    # A year back from a year ending 28 February 2025 ends on the leap day.
    assert spans(rolling_periods(parse_period("2024-03-01:2025-02-28"), 2, 12)) == [
        "2023-03-01:2024-02-29",
        "2024-03-01:2025-02-28",
    ]


def test_a_period_not_on_month_boundaries_moves_day_for_day() -> None:
    last = Period(date(2023, 1, 15), date(2024, 1, 14))
    assert spans(rolling_periods(last, 3, 1)) == [
        "2022-11-15:2023-11-14",
        "2022-12-15:2023-12-14",
        "2023-01-15:2024-01-14",
    ]


def test_one_period_is_the_period_itself() -> None:
    last = parse_period("24B25A")
    assert rolling_periods(last, 1) == [last]


@pytest.mark.parametrize(("count", "step"), [(0, 3), (-1, 3), (2, 0)])
def test_a_count_or_step_below_one_is_refused(count: int, step: int) -> None:
    with pytest.raises(PeriodError):
        rolling_periods(parse_period("23A23B"), count, step)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """One entry on the first of each month of 2023; November's and December's are reunified
    exactly 12 months later, the others are still in care."""
    children = [child(f"C{month}") for month in range(1, 13)]
    episodes = [episode(f"E{month}", f"C{month}", f"2023-{month:02d}-01",
                        f"2024-{month:02d}-01" if month > 10 else "")
                for month in range(1, 13)]
    return write_data(tmp_path / "data", children=children, episodes=episodes)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("outcomes", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_compute_rolling_writes_every_period_oldest_first(data: Path) -> None:
    out = run("compute", "--data", str(data), "--period", "2023-01-01:2023-06-30",
              "--rolling", "3:2", "--measures", "permanency_12m_entries", "--no-suppress")
    rows = list(csv.DictReader(io.StringIO(out)))
    # Six-month periods ending two months apart; one entry on the first of each month.
    assert [(row["period_start"], row["period_end"], row["denominator"]) for row in rows] == [
        ("2022-09-01", "2023-02-28", "2"),
        ("2022-11-01", "2023-04-30", "4"),
        ("2023-01-01", "2023-06-30", "6"),
    ]


def test_compute_rolling_defaults_to_three_month_steps(data: Path) -> None:
    out = run("compute", "--data", str(data), "--period", "2023-10-01:2023-12-31",
              "--rolling", "2", "--measures", "permanency_12m_entries", "--no-suppress")
    rows = list(csv.DictReader(io.StringIO(out)))
    # November and December entries reach permanency in 2024, within 12 months.
    assert [(row["period_start"], row["numerator"], row["denominator"]) for row in rows] == [
        ("2023-07-01", "0", "3"), ("2023-10-01", "2", "3")]


@pytest.mark.parametrize("rolling", ["x", "4:", "0", "3:-1"])
def test_an_unreadable_rolling_option_is_a_usage_error(data: Path, rolling: str) -> None:
    with pytest.raises(CommandError) as raised:
        run("compute", "--data", str(data), "--period", "23A23B", "--rolling", rolling)
    assert raised.value.returncode == 2
