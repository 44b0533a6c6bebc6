"""The derived fields of §2 as backend-neutral Ibis expressions, one function per rule.

Month arithmetic is spelled out with year/month/day parts and ``make_date`` instead of
``+ interval(months=n)``: backends disagree on month intervals, and DuckDB 2.0 treats
``INTERVAL '1' MONTH`` and ``INTERVAL '30' DAY`` in one query as the same expression (its interval
equality counts a month as 30 days), so a query holding both silently computes one of them twice.
Day intervals are used for day offsets only, never beside month intervals.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine import contract

# Compare dates of open episodes against this instead of NULL so LEAST/GREATEST behave the same
# on every backend.
FAR_FUTURE = date(9999, 12, 31)


def flag(condition: ir.BooleanValue) -> ir.IntegerValue:
    """1 when the condition holds, 0 when it fails or is unknown (NULL).

    Written as CASE rather than a cast: PostgreSQL cannot cast a boolean to bigint.
    """
    return ibis.ifelse(condition, 1, 0).cast("int64")


def add_days(day: ir.DateValue, days: int) -> ir.DateValue:
    return day + ibis.interval(days=days)


def days_between(start: ir.DateValue, end: ir.DateValue) -> ir.IntegerValue:
    """``end − start`` in days."""
    return end.delta(start, unit="day")


def _is_leap(year: ir.IntegerValue) -> ir.BooleanValue:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def _days_in_month(year: ir.IntegerValue, month: ir.IntegerValue) -> ir.IntegerValue:
    return ibis.cases(
        (month == 2, ibis.ifelse(_is_leap(year), 29, 28)),
        (month.isin([4, 6, 9, 11]), 30),
        else_=31,
    )


def _shift_years(day: ir.DateValue, years: int | ir.IntegerValue) -> ir.DateValue:
    """Same day ``years`` later; only 29 February needs clamping (to 28 February)."""
    year = day.year() + years
    clamp = (day.month() == 2) & (day.day() == 29) & ~_is_leap(year)
    return ibis.date(year, day.month(), ibis.ifelse(clamp, 28, day.day()))


def add_months(day: ir.DateValue, months: int | ir.IntegerValue) -> ir.DateValue:
    """Same day ``months`` later, clamped to the month's last day (2024-02-29 + 12 = 2025-02-28)."""
    if isinstance(months, int) and months % 12 == 0:
        return _shift_years(day, months // 12)
    total = day.year() * 12 + (day.month() - 1) + months
    year = total // 12
    month = total % 12 + 1
    last = _days_in_month(year, month)
    return ibis.date(year, month, ibis.least(day.day(), last))


def eighteenth_birthday(birth_date: ir.DateValue) -> ir.DateValue:
    return add_months(birth_date, 18 * 12)


def age_on(birth_date: ir.DateValue, day: ir.DateValue) -> ir.IntegerValue:
    """Whole years from birth to ``day``; a 29 February child has its birthday on 28 February."""
    years = day.year() - birth_date.year()
    # This year's birthday, as _shift_years would place it, compared by (month, day).
    clamp = (birth_date.month() == 2) & (birth_date.day() == 29) & ~_is_leap(day.year())
    birthday = ibis.ifelse(clamp, 28, birth_date.day())
    reached = (day.month() > birth_date.month()) | (
        (day.month() == birth_date.month()) & (day.day() >= birthday)
    )
    return ibis.ifelse(reached, years, years - 1)


def age_band(age: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        (age < 1, "under_1"),
        (age <= 5, "1_5"),
        (age <= 10, "6_10"),
        (age <= 16, "11_16"),
        else_="17",
    )


def race_ethnicity(children: ir.Table) -> ir.StringValue:
    """Federal profile method: Hispanic first, then one race, two or more, or unknown."""
    flagged = [flag(children[name] == "yes") for name in contract.RACE_FLAGS]
    count = flagged[0]
    for one in flagged[1:]:
        count = count + one
    single = [
        (children[name] == "yes", category)
        for name, category in contract.RACE_FLAG_CATEGORY.items()
    ]
    return ibis.cases(
        (children.hispanic == "yes", "hispanic"),
        (count >= 2, "two_or_more"),
        *single,
        else_="unknown",
    )


def los_days(removal_date: ir.DateValue, discharge_date: ir.DateValue) -> ir.IntegerValue:
    return days_between(removal_date, discharge_date)


def is_short_stay(removal_date: ir.DateValue, discharge_date: ir.DateValue) -> ir.BooleanValue:
    """A discharged episode of fewer than 8 days; an open episode is never short."""
    return discharge_date.notnull() & (los_days(removal_date, discharge_date) < 8)


def in_care_on(
    removal_date: ir.DateValue, discharge_date: ir.DateValue, day: ir.DateValue
) -> ir.BooleanValue:
    return (removal_date <= day) & (discharge_date.isnull() | (discharge_date > day))


def is_permanency_exit(discharge_reason: ir.StringValue) -> ir.BooleanValue:
    return discharge_reason.isin(list(contract.PERMANENCY_REASONS))


def open_ended(discharge_date: ir.DateValue) -> ir.DateValue:
    """The discharge date, or a far-future day for an episode still open."""
    return discharge_date.fill_null(ibis.literal(FAR_FUTURE))


def is_entry_cohort_episode(
    removal_date: ir.DateValue, discharge_date: ir.DateValue, discharge_reason: ir.StringValue
) -> ir.BooleanValue:
    """P1's eligibility apart from the period and age: not a short stay, and a discharge reason
    present when discharged."""
    return ~is_short_stay(removal_date, discharge_date) & (
        discharge_date.isnull() | discharge_reason.notnull()
    )


def is_reentry_cohort_discharge(discharge_reason: ir.StringValue) -> ir.BooleanValue:
    """P4's discharges apart from the period and age: to reunification, relative or guardianship.
    Short stays count too (spec v2: the dictionary lists no such exclusion for re-entry)."""
    return discharge_reason.isin(list(contract.REENTRY_COHORT_REASONS))


def placement_cover_end(
    end_date: ir.DateValue, next_start: ir.DateValue, episode_end: ir.DateValue
) -> ir.DateValue:
    """The first day a placement no longer covers (P5): its end_date; when that is empty the next
    placement's start_date; when it is the episode's last placement, the episode's end."""
    return ibis.coalesce(end_date, next_start, episode_end)


def is_before_birth(day: ir.DateValue, birth_date: ir.DateValue) -> ir.BooleanValue:
    """A day before the child's birth (S2 ignores such reports); false when birth is unknown."""
    return birth_date.notnull() & (day < birth_date)


def is_same_incident(incident: ir.DateValue, other_incident: ir.DateValue) -> ir.BooleanValue:
    """Two reports of the same incident (S2): both carry an incident_date and it is the same."""
    return incident.notnull() & other_incident.notnull() & (incident == other_incident)


def earliest_from(previous: ir.DateValue, start: ir.DateValue | date) -> ir.BooleanValue:
    """Whether a row dated on or after ``start`` is the earliest of its child from ``start`` on,
    given the date of the child's previous row in the same order (facts' ``previous_*``)."""
    return previous.isnull() | (previous < start)
