"""Time to permanency for an entry cohort: Kaplan–Meier curve and median, and the cumulative
incidence of each exit type (Aalen–Johansen) at 12, 24 and 36 months, per group.

The database does the heavy part: one Ibis expression (compiled with :func:`computing.to_sql`, run
with ``runner.fetch``) returns the number of children per group, duration in days and outcome,
which is small whatever the size of the data. The estimators then run in Python on those counts.

Rules (docs/outcomes.md, "Time to permanency"): the cohort is P1's (per child the earliest
eligible episode removed in the period); time runs from removal_date; a permanency exit counts at
P1's effective discharge date (trial home visit adjustment); other discharge reasons and the 18th
birthday while still in care compete as ``other``; children still in care on the reference date
are censored there. A month is 365.25 / 12 days.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine import computing, contract, derived, output, suppression
from practicehub.outcomes.engine.measures.base import MeasureParams, add_rollups, apply_scope
from practicehub.outcomes.engine.measures.permanency import effective_discharge_date, p1_cohort
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.engine.tables import OutcomeTables

EXIT_TYPES = ("reunification", "relative", "guardianship", "adoption", "other")
HORIZONS_MONTHS = (12, 24, 36)
PERMANENCY_TYPES = contract.PERMANENCY_REASONS
OTHER = "other"  # emancipation, transfer, runaway, death, and the 18th birthday in care
CENSORED = "censored"  # still in care on the reference date
MONTH_DAYS = 365.25 / 12  # 30.4375, exact in binary, so month boundaries compare exactly
MAX_CURVE_MONTHS = 60
MEDIAN_SURVIVAL = 0.5
SUPPRESSION_TABLE = "time_to_permanency"  # the name suppression groups our rows under

Groups = tuple[tuple[str, str | None], ...]
Tally = dict[int, dict[str, int]]  # duration in days -> outcome -> children


@dataclass(frozen=True)
class CurvePoint:
    month: int  # 0, 1, 2, ... up to the last month observed (at most 60)
    permanency: float  # Kaplan–Meier probability of a permanency exit by the end of the month


@dataclass(frozen=True)
class PermanencyCurve:
    groups: Groups  # (dimension, value) per --by dimension, like ResultRow.groups
    cohort: int | None  # children in the cohort; None when suppressed
    permanent: int | None  # permanency exits observed; None when suppressed
    median_months: float | None  # None when not reached or suppressed
    points: tuple[CurvePoint, ...]  # empty when suppressed
    incidence: dict[int, dict[str, float]]  # horizon months -> exit type -> cumulative incidence
    suppressed: bool


# --- the database part -----------------------------------------------------------------------


def cohort_outcomes(tables: OutcomeTables, params: MeasureParams, reference: date) -> ir.Table:
    """Children per grouping value, duration in days and outcome (an exit type or censored)."""
    cohort = p1_cohort(tables, params)
    effective = effective_discharge_date(cohort)
    as_of = ibis.literal(reference)
    # An exit is known only once it has happened by the reference date; one on or after the
    # 18th birthday is an exit from an adult's stay, so the child aged out first.
    exited = (
        cohort.discharge_date.notnull()
        & (cohort.discharge_date <= as_of)
        & (effective < cohort.eighteenth)
    )
    aged_out = ~exited & (cohort.eighteenth <= as_of)
    ended = ibis.cases((exited, effective), (aged_out, cohort.eighteenth), else_=as_of)
    outcome = ibis.cases(
        (exited & derived.is_permanency_exit(cohort.discharge_reason), cohort.discharge_reason),
        (exited | aged_out, OTHER),
        else_=CENSORED,
    )
    per_child = cohort.select(
        county=cohort.county,
        office=cohort.office,
        race_ethnicity=cohort.race_ethnicity,
        age_band=derived.age_band(derived.age_on(cohort.birth_date, cohort.removal_date)),
        sex=cohort.sex,
        # A reference date before the removal censors the child at day 0.
        duration_days=ibis.greatest(derived.days_between(cohort.removal_date, ended), 0).cast(
            "int64"
        ),
        outcome=outcome,
    )
    scoped = apply_scope(add_rollups(per_child, params), params)
    return scoped.group_by([*params.by, "duration_days", "outcome"]).aggregate(
        children=scoped.count()
    )


@lru_cache(maxsize=256)
def compiled_outcomes_sql(params: MeasureParams, dialect: str) -> str:
    """The counts query; params carry the resolved reference date, so they key the cache."""
    reference = params.reference_date or params.period.end
    return computing.to_sql(cohort_outcomes(OutcomeTables.unbound(), params, reference), dialect)


@lru_cache(maxsize=8)
def _latest_dates_sql(dialect: str) -> str:
    episodes = OutcomeTables.unbound().episodes
    return computing.to_sql(
        episodes.aggregate(
            latest_removal=episodes.removal_date.max(),
            latest_discharge=episodes.discharge_date.max(),
        ),
        dialect,
    )


def latest_date_in_data(runner: computing.Runner) -> date | None:
    """The latest removal or discharge date of any episode: how far the data reach."""
    (record,) = runner.fetch(_latest_dates_sql(runner.dialect))
    known = [day for day in record.values() if day is not None]
    return max(known) if known else None


# --- the estimators --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """The estimates just after the events of one day."""

    day: int
    survival: float  # Kaplan–Meier: no permanency exit yet (other exits censor)
    incidence: dict[str, float]  # Aalen–Johansen cumulative incidence per exit type
    still_in_care: float  # all-cause survival: no exit of any type yet


def estimate_steps(tally: Tally) -> list[_Step]:
    """Kaplan–Meier and Aalen–Johansen over the days on which something happened.

    On a day with exits and censorings, the exits come first (the censored children were at
    risk that day), the usual convention.
    """
    at_risk = sum(sum(outcomes.values()) for outcomes in tally.values())
    survival = still_in_care = 1.0
    incidence = dict.fromkeys(EXIT_TYPES, 0.0)
    steps = []
    for day in sorted(tally):
        outcomes = tally[day]
        exits = {kind: outcomes.get(kind, 0) for kind in EXIT_TYPES}
        if at_risk and any(exits.values()):
            # Each exit type takes its share of those still in care just before the day.
            for kind, count in exits.items():
                incidence[kind] += still_in_care * count / at_risk
            permanency = sum(exits[kind] for kind in PERMANENCY_TYPES)
            survival *= 1 - permanency / at_risk
            still_in_care *= 1 - sum(exits.values()) / at_risk
            steps.append(_Step(day, survival, dict(incidence), still_in_care))
        at_risk -= sum(outcomes.values())
    return steps


def _at(steps: Sequence[_Step], day: float) -> _Step | None:
    """The latest step on or before ``day``; None before the first (steps are in day order)."""
    position = bisect.bisect_right(steps, day, key=lambda step: step.day)
    return steps[position - 1] if position else None


def _permanency_by(steps: Sequence[_Step], day: float) -> float:
    step = _at(steps, day)
    return 0.0 if step is None else 1 - step.survival


def median_months(steps: Sequence[_Step]) -> float | None:
    """The first day on which the Kaplan–Meier survival is at most one half, in months."""
    for step in steps:
        # The tolerance keeps an exact half (6 of 12 reunified) from missing by a rounding error.
        if step.survival <= MEDIAN_SURVIVAL + 1e-12:
            return step.day / MONTH_DAYS
    return None


def _all_outcomes_known(steps: Sequence[_Step]) -> bool:
    # Every child has left care; the estimates cannot change after the last exit.
    return bool(steps) and math.isclose(steps[-1].still_in_care, 0.0, abs_tol=1e-12)


def last_month_known(steps: Sequence[_Step], longest_days: int) -> int:
    """The last whole month that some child was followed for, at most 60; once every child has
    left care nothing can change any more, so then 60."""
    if _all_outcomes_known(steps):
        return MAX_CURVE_MONTHS
    return min(MAX_CURVE_MONTHS, math.floor(longest_days / MONTH_DAYS))


def curve_points(steps: Sequence[_Step], longest_days: int) -> tuple[CurvePoint, ...]:
    """1 − S at the end of months 0 … :func:`last_month_known`."""
    last_month = last_month_known(steps, longest_days)
    return tuple(
        CurvePoint(month, _permanency_by(steps, month * MONTH_DAYS))
        for month in range(last_month + 1)
    )


def incidence_at_horizons(steps: Sequence[_Step], longest_days: int) -> dict[int, dict[str, float]]:
    """Cumulative incidence per exit type at each horizon within :func:`last_month_known`."""
    incidence: dict[int, dict[str, float]] = {}
    for months in HORIZONS_MONTHS:
        if months > last_month_known(steps, longest_days):
            continue
        step = _at(steps, months * MONTH_DAYS)
        incidence[months] = dict.fromkeys(EXIT_TYPES, 0.0) if step is None else dict(
            step.incidence
        )
    return incidence


def permanency_at_horizon(curve: PermanencyCurve, months: int) -> float | None:
    """1 − S at a horizon, when the curve reaches it."""
    for point in curve.points:
        if point.month == months:
            return point.permanency
    return None


def build_curve(groups: Groups, tally: Tally) -> PermanencyCurve:
    steps = estimate_steps(tally)
    longest = max(tally, default=0)
    return PermanencyCurve(
        groups=groups,
        cohort=sum(sum(outcomes.values()) for outcomes in tally.values()),
        permanent=sum(
            outcomes.get(kind, 0) for outcomes in tally.values() for kind in PERMANENCY_TYPES
        ),
        median_months=median_months(steps),
        points=curve_points(steps, longest) if tally else (),
        incidence=incidence_at_horizons(steps, longest) if tally else {},
        suppressed=False,
    )


# --- grouping and suppression ----------------------------------------------------------------


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def tallies(records: Sequence[Mapping[str, Any]], by: Sequence[str]) -> dict[Groups, Tally]:
    grouped: dict[Groups, Tally] = {}
    for record in records:
        groups = tuple((name, _text(record[name])) for name in by)
        outcomes = grouped.setdefault(groups, {}).setdefault(int(record["duration_days"]), {})
        outcomes[record["outcome"]] = outcomes.get(record["outcome"], 0) + int(record["children"])
    return grouped


def _group_order(curve: PermanencyCurve) -> tuple[tuple[bool, str], ...]:
    """Groups sorted by value, missing values last (as the measures' rows)."""
    return tuple((value is None, value or "") for _, value in curve.groups)


def hidden(curve: PermanencyCurve) -> PermanencyCurve:
    return PermanencyCurve(curve.groups, None, None, None, (), {}, suppressed=True)


def suppress_small_groups(
    curves: Sequence[PermanencyCurve], period: Period, by: Sequence[str]
) -> list[PermanencyCurve]:
    """The cohort and its permanency exits are the counts protected: the project's suppression
    rules (§5) applied to one table whose rows have them as denominator and numerator. A group
    with either from 1 to 10 is suppressed (the curve derives from both), and so is the
    next-smallest group wherever one suppressed group could be recovered from a shown total."""
    rows = [
        ResultRow(SUPPRESSION_TABLE, period.start, period.end, curve.groups,
                  numerator=curve.permanent, denominator=curve.cohort, value=None)
        for curve in curves
    ]
    mask = suppression.suppression_mask(rows, by)
    return [hidden(curve) if hide else curve for curve, hide in zip(curves, mask, strict=True)]


def compute(
    runner: computing.Runner,
    period: Period,
    *,
    by: Sequence[str] = (),
    scope: Mapping[str, Sequence[str]] | None = None,
    rollups: Mapping[str, Mapping[str, str]] | None = None,
    reference_date: date | None = None,
    suppress: bool = True,
) -> list[PermanencyCurve]:
    """One curve per group of the children entering care in ``period`` (one curve without
    ``by``, even for an empty cohort), sorted by group. Censoring at ``reference_date``, by
    default the latest removal or discharge date in the data."""
    params = MeasureParams.build(period, by, reference_date, scope, rollups)
    computing.check_dimensions(params)
    reference = reference_date or latest_date_in_data(runner) or period.end
    params = replace(params, reference_date=reference)
    records = runner.fetch(compiled_outcomes_sql(params, runner.dialect))
    grouped = tallies(records, params.by)
    if not params.by and not grouped:
        grouped[()] = {}
    curves = sorted((build_curve(groups, tally) for groups, tally in grouped.items()),
                    key=_group_order)
    return suppress_small_groups(curves, period, params.by) if suppress else curves


# --- the table the command prints ------------------------------------------------------------


def table_columns(by: Sequence[str]) -> list[str]:
    """One row per group and horizon: the period, the groups, the horizon, the group's counts and
    median, 1 − S at the horizon, the incidence of each exit type, suppressed."""
    return ["period_start", "period_end", *by, "horizon_months", "cohort", "permanent",
            "median_months", "permanency_km", *EXIT_TYPES, "suppressed"]


def table_records(curves: Sequence[PermanencyCurve], period: Period) -> list[dict[str, Any]]:
    """The rows of :func:`table_columns`; None where a value is suppressed or not reached."""
    records = []
    for curve in curves:
        for months in HORIZONS_MONTHS:
            incidence = curve.incidence.get(months, {})
            records.append({
                "period_start": period.start.isoformat(),
                "period_end": period.end.isoformat(),
                **dict(curve.groups),
                "horizon_months": months,
                "cohort": curve.cohort,
                "permanent": curve.permanent,
                "median_months": curve.median_months,
                "permanency_km": permanency_at_horizon(curve, months),
                **{kind: incidence.get(kind) for kind in EXIT_TYPES},
                "suppressed": curve.suppressed,
            })
    return records


def render_table(curves: Sequence[PermanencyCurve], period: Period, by: Sequence[str],
                 fmt: str) -> str:
    """CSV (values as the compute command writes them) or JSON (a list of objects)."""
    records = table_records(curves, period)
    stream = io.StringIO()
    if fmt == "json":
        json.dump(records, stream, indent=1)
        stream.write("\n")
        return stream.getvalue()
    columns = table_columns(by)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([output.csv_cell(record[column]) for column in columns])
    return stream.getvalue()
