"""Safety: S1 maltreatment in foster care and S2 recurrence of maltreatment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine import derived
from practicehub.outcomes.engine.measures.base import (
    PER_100K,
    MeasureParams,
    aggregate,
    care_days_end,
    episode_facts,
    flag,
    units,
)
from practicehub.outcomes.engine.tables import OutcomeTables

# Reports in the first week after removal are taken to concern the home the child was removed from.
FIRST_WEEK_DAYS = 7
# Any fixed day works as origin for numbering days; only differences between day numbers are used.
_DAY_ORIGIN = date(1900, 1, 1)


def victim_reports(tables: OutcomeTables) -> ir.Table:
    """Substantiated or indicated reports with the child's facts (derived at load time)."""
    return tables.victim_reports


def s1_in_period(episodes: ir.Table, params: MeasureParams) -> list[ir.BooleanValue]:
    """Episodes in care at some time in the period, not short stays."""
    return [
        episodes.removal_date <= params.end,
        derived.open_ended(episodes.discharge_date) > params.start,
        ~derived.is_short_stay(episodes.removal_date, episodes.discharge_date),
    ]


def s1_days(episodes: ir.Table, params: MeasureParams) -> dict[str, ir.Value]:
    """An episode's counted days: ``days_start`` up to (not including) ``days_end``, and
    ``care_days`` between them."""
    start = ibis.greatest(episodes.removal_date, ibis.literal(params.start))
    end = care_days_end(episodes, params)
    return {"days_start": start, "days_end": end, "care_days": derived.days_between(start, end)}


def s1_cohort(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Episodes in care at some time in the period, not short stays, with their counted days."""
    episodes = episode_facts(tables)
    in_period = episodes.filter(*s1_in_period(episodes, params))
    with_days = in_period.mutate(**s1_days(in_period, params))
    # An episode whose counted days are all after the 18th birthday contributes nothing.
    return with_days.filter(with_days.care_days > 0)


def counted_report_days(
    tables: OutcomeTables, params: MeasureParams, cohort: ir.Table, carry: Sequence[str] = ()
) -> ir.Table:
    """Days with a counted report: inside the counted days, a week or more after removal, and
    with no incident date outside the episode. Several reports on one day are one day. The
    cohort's ``carry`` columns (of the episode) come along."""
    victims = victim_reports(tables)
    # Only reports inside the period can fall inside counted days; filtering first keeps the join
    # to the period's reports.
    in_period = victims.filter(victims.report_date.between(params.start, params.end))
    reports = in_period.select(
        report_child_key="child_key", report_date="report_date", incident_date="incident_date"
    )
    pairs = cohort.join(reports, cohort.child_key == reports.report_child_key)
    counted = pairs.filter(
        pairs.report_date >= pairs.days_start,
        pairs.report_date < pairs.days_end,
        pairs.report_date >= derived.add_days(pairs.removal_date, FIRST_WEEK_DAYS),
        pairs.incident_date.isnull()
        | (
            (pairs.incident_date >= pairs.removal_date)
            & (pairs.incident_date < derived.open_ended(pairs.discharge_date))
        ),
    )
    return counted.select("child_key", "episode_key", "report_date", *carry).distinct()


def kept_reports(report_days: ir.Table) -> ir.Table:
    """Drop every report one day or less after the last one kept, per child.

    Distinct report days one day apart form runs of consecutive days; a run's first day is kept
    (it is two or more days after anything before it), then every second day of the run, because
    each kept day drops the next one. So a day is kept when its distance from the run's first day
    is even. Runs are found as the days whose day number minus their rank is equal.
    """
    day_number = derived.days_between(ibis.literal(_DAY_ORIGIN), report_days.report_date)
    rank = ibis.row_number().over(
        ibis.window(group_by=report_days.child_key, order_by=report_days.report_date)
    )
    numbered = report_days.mutate(day_number=day_number, run=day_number - rank)
    run_start = numbered.day_number.min().over(
        ibis.window(group_by=[numbered.child_key, numbered.run])
    )
    marked = numbered.mutate(kept=(numbered.day_number - run_start) % 2 == 0)
    return marked.filter(marked.kept)


def maltreatment_in_care_per_100k_days(
    tables: OutcomeTables, params: MeasureParams
) -> ir.Table:
    """S1: substantiated or indicated reports of children in care per 100,000 days in care."""
    cohort = s1_cohort(tables, params)
    kept = kept_reports(counted_report_days(tables, params, cohort))
    per_episode = kept.group_by(victim_episode_key=kept.episode_key).aggregate(
        victimizations=kept.count()
    )
    joined = cohort.left_join(per_episode, cohort.episode_key == per_episode.victim_episode_key)
    return aggregate(
        units(
            joined,
            age_on=joined.days_start,
            numerator=joined.victimizations.fill_null(0),
            denominator=joined.care_days,
        ),
        params,
        PER_100K,
    )


def s2_cohort(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Per child, the earliest substantiated/indicated report in the period before 18 (reports
    dated before birth are not in the facts). A fatality does not leave the child out (spec v2)."""
    victims = victim_reports(tables)
    in_period = victims.filter(
        victims.report_date.between(params.start, params.end),
        victims.report_date < victims.eighteenth,
    )
    return in_period.filter(derived.earliest_from(in_period.previous_report_date, params.start))


def maltreatment_recurrence_12m(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """S2: another substantiated/indicated report 15 days to 12 months after the initial one,
    not of the same incident (the facts' ``recurrence_date``)."""
    cohort = s2_cohort(tables, params)
    recurred = cohort.recurrence_date <= derived.add_months(cohort.report_date, 12)
    return aggregate(
        units(
            cohort,
            age_on=cohort.report_date,
            numerator=flag(recurred),
            # Reports carry a county but no office.
            office=ibis.null("string"),
        ),
        params,
        1,
    )
