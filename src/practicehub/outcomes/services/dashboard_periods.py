"""The periods a dashboard shows: the federal fiscal years the data cover, the default one, and
the period asked for.
"""

from __future__ import annotations

from datetime import date

from practicehub.outcomes.engine.periods import Period, PeriodError, parse_period
from practicehub.outcomes.services.dashboard_data import DashboardData, first_date_in_data


def latest_federal_year(as_of: date) -> Period:
    """The latest federal fiscal year (October–September) whose last month the data reach.

    ``as_of`` is the latest removal or discharge, which falls a few days before the extract date
    (not every day has one), so reaching September is taken as covering the year.
    """
    year = as_of.year if as_of >= date(as_of.year, 9, 1) else as_of.year - 1
    return Period(date(year - 1, 10, 1), date(year, 9, 30))


def default_period(as_of: date) -> Period:
    """The federal year shown unless another is asked for: the latest one whose children the
    data follow for 12 months after its end, so that P1, P4 and S2, which look 12 months ahead,
    are complete rather than cut short by the end of the data."""
    latest = latest_federal_year(as_of)
    return Period(date(latest.start.year - 1, 10, 1), date(latest.end.year - 1, 9, 30))

def periods_held(data: DashboardData, as_of: date | None) -> tuple[tuple[str, str], ...]:
    """The federal fiscal years the data cover, newest first: the period picker's choices."""
    if as_of is None:
        return ()
    latest = latest_federal_year(as_of)
    first = first_date_in_data(data) or latest.start
    years = range(latest.end.year, max(first.year, latest.end.year - 30) - 1, -1)
    periods = [Period(date(year - 1, 10, 1), date(year, 9, 30)) for year in years]
    return tuple((federal_code(p) or str(p), federal_label(p)) for p in periods
                 if p.end >= first)

def period_asked(period: str, start: str, end: str, default: Period
                  ) -> tuple[Period, str, bool]:
    """The period asked for (a federal code, or custom dates), else the default with why."""
    custom = period == "custom" or (not period and bool(start or end))
    text = f"{start}:{end}" if custom else period
    if not text:
        return default, "", False
    try:
        return parse_period(text), "", custom
    except PeriodError as problem:
        return default, f"{problem}. Showing {federal_label(default)} instead.", custom

def federal_code(period: Period) -> str | None:
    """``23A23B`` when the period is exactly a federal fiscal year, else None."""
    year = period.end.year
    if period == Period(date(year - 1, 10, 1), date(year, 9, 30)):
        return f"{year % 100:02d}A{year % 100:02d}B"
    return None


def federal_label(period: Period) -> str:
    """``23A23B (2022-10-01 to 2023-09-30)`` for federal years, else the two dates."""
    dates = f"{period.start.isoformat()} to {period.end.isoformat()}"
    code = federal_code(period)
    return f"{code} ({dates})" if code else dates
