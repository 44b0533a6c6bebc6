"""Measurement periods and the calendar rules of §2, in plain Python.

The same rules exist as Ibis expressions in :mod:`practicehub.outcomes.derived`; the tests check the
two against each other.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_HALF = r"(\d{2})([AB])"
_FEDERAL_CODE = re.compile(rf"^{_HALF}(?:{_HALF})?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PeriodError(ValueError):
    """A period or date given by the user cannot be read."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the last day of the month (31 Jan + 1 = 29 Feb)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


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
    if not _ISO_DATE.match(text):
        raise PeriodError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise PeriodError(f"{text!r} is not a valid date: {error}") from None


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
