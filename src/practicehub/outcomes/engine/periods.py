"""Measurement periods and the calendar rules of §2, in plain Python.

The same rules exist as Ibis expressions in :mod:`practicehub.outcomes.engine.derived`; the tests
check the two against each other.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_HALF = r"([0-9]{2})([AB])"
_FEDERAL_CODE = re.compile(rf"^{_HALF}(?:{_HALF})?$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Days a period or reference date may fall on: the measures look years before and after them
# (24 months back, 18th birthdays, the day after the end), which must stay valid dates.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
# More would be no trend anyone reads, and each period is a computation.
MAX_ROLLING_PERIODS = 120
MAX_ROLLING_STEP_MONTHS = 120


class PeriodError(ValueError):
    """A period or date given by the user cannot be read."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the last day of the month (31 Jan + 1 = 29 Feb)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def shift_months_keeping_month_end(day: date, months: int) -> date:
    """:func:`add_months`, except that a month's last day stays a month's last day
    (2024-02-29 − 3 months = 2023-11-30, where add_months gives 2023-11-29)."""
    shifted = add_months(day, months)
    if _is_month_end(day):
        last_day = calendar.monthrange(shifted.year, shifted.month)[1]
        return date(shifted.year, shifted.month, last_day)
    return shifted


def eighteenth_birthday(birth_date: date) -> date:
    """Birth date plus 18 years; a 29 February birthday falls on 28 February."""
    return add_months(birth_date, 18 * 12)


def age_on(birth_date: date, day: date) -> int:
    """Whole years from ``birth_date`` to ``day``, counting birthdays as :func:`add_months` does."""
    years = day.year - birth_date.year
    if add_months(birth_date, 12 * years) > day:
        years -= 1
    return years


def parse_date(text: str) -> date:
    if not _ISO_DATE.fullmatch(text):
        raise PeriodError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise PeriodError(f"{text!r} is not a valid date: {error}") from None
    _check_range(day)
    return day


def _check_range(day: date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise PeriodError(f"{day.isoformat()} is outside {EARLIEST.isoformat()}.."
                          f"{LATEST.isoformat()}, the days periods can cover")


@dataclass(frozen=True)
class Period:
    """``[start, end]``, both days inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def day_after_end(self) -> date:
        return self.end + timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}"


def federal_half(year_2digit: str, half: str) -> Period:
    """AFCARS report period: ``A`` is October–March, ``B`` April–September, named by fiscal year."""
    fiscal_year = 2000 + int(year_2digit)
    if half == "A":
        return Period(date(fiscal_year - 1, 10, 1), date(fiscal_year, 3, 31))
    return Period(date(fiscal_year, 4, 1), date(fiscal_year, 9, 30))


def parse_period(text: str) -> Period:
    """Read ``START:END`` (ISO dates) or a federal code such as ``23A23B`` or ``24B25A``."""
    text = text.strip()
    if ":" in text:
        start_text, _, end_text = text.partition(":")
        return Period(parse_date(start_text.strip()), parse_date(end_text.strip()))
    match = _FEDERAL_CODE.match(text.upper())
    if match is None:
        raise PeriodError(
            f"{text!r} is not a period: use START:END (YYYY-MM-DD:YYYY-MM-DD) or a federal code "
            "such as 23A23B"
        )
    first = federal_half(match.group(1), match.group(2))
    if match.group(3) is None:
        return first
    last = federal_half(match.group(3), match.group(4))
    if last.start < first.start:
        raise PeriodError(f"{text!r}: the second half-year comes before the first")
    return Period(first.start, last.end)


def rolling_periods(last: Period, count: int, step_months: int = 3) -> list[Period]:
    """``count`` periods as long as ``last``, each ending ``step_months`` before the next, the
    latest being ``last``; oldest first.

    Both ends move by whole months. The period is taken as the half-open span from the day before
    its start to its end, and both of those days move with month-end clamping that keeps month
    ends on month ends, so a period of whole calendar months stays one (23A23B stepped back 3
    months is 2022-07-01..2023-06-30; a period ending 2024-02-29 steps back to one ending
    2023-11-30).
    """
    if not 1 <= count <= MAX_ROLLING_PERIODS:
        raise PeriodError(f"the number of rolling periods must be 1..{MAX_ROLLING_PERIODS}, "
                          f"not {count}")
    if not 1 <= step_months <= MAX_ROLLING_STEP_MONTHS:
        raise PeriodError(f"the step between rolling periods must be 1..{MAX_ROLLING_STEP_MONTHS}"
                          f" months, not {step_months}")
    day_before_start = last.start - timedelta(days=1)
    periods = []
    for back in range(count - 1, -1, -1):
        months = -back * step_months
        start = shift_months_keeping_month_end(day_before_start, months) + timedelta(days=1)
        periods.append(Period(start, shift_months_keeping_month_end(last.end, months)))
    # The bounds above keep these dates valid (the earliest is centuries after year 1).
    if periods[0].start < EARLIEST:
        raise PeriodError(f"{count} periods {step_months} months apart ending {last.end} would "
                          f"start before {EARLIEST.isoformat()}")
    return periods
