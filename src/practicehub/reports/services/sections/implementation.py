"""The report's implementation sections: stage, plans, teams and decisions, support received."""

from __future__ import annotations

import datetime

from practicehub.accounts.models import OrgNode
from practicehub.implementation.models import (
    ActionStatus,
    ChecklistRating,
    Decision,
    Plan,
    StageRecord,
    SupportActivity,
    Team,
)
from practicehub.implementation.services import charts as implementation_charts
from practicehub.implementation.services import plans, stages, support
from practicehub.implementation.services.views_support import current_model
from practicehub.outcomes.engine.periods import Period
from practicehub.reports.services.document import (
    Chart,
    Section,
    Table,
    Viewer,
    all_or_visible,
    date_text,
    decimal_percent,
    within,
)

# Decisions of meetings held this many days before the report date are "recent".
RECENT_DAYS = 90


def stage_section(node: OrgNode, viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Stage of implementation")
    version = current_model()
    if version is None:
        section.intro.append("No practice model is loaded, so no stage is recorded.")
        return section
    records = list(all_or_visible(StageRecord.objects.all(), viewer).filter(
        node=node, model_version=version))
    ratings = list(all_or_visible(ChecklistRating.objects.all(), viewer).filter(
        node=node, model_version=version))
    measures = stages.stage_measures(records, ratings, today)
    entered = [m for m in measures if m.entered_on is not None]
    current = max(entered, key=lambda m: m.entered_on or today) if entered else None
    section.intro.append(
        f"Current stage: {current.stage.label}, entered {date_text(current.entered_on)}."
        if current else "No stage is recorded for this site yet.")
    section.table("Stage history and checklist completion",
                  ["Stage", "Entered", "Left", "Days", "Checklist established"],
                  [[m.stage.label, date_text(m.entered_on), date_text(m.left_on),
                    "—" if m.duration_days is None else str(m.duration_days),
                    f"{m.established} of {m.activities} ({decimal_percent(m.proportion)})"]
                   for m in measures])
    return section


def plan_section(node: OrgNode, viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Strategic implementation plan")
    found = plans.plans_with_actions(all_or_visible(Plan.objects.all(), viewer).filter(
        **within(node, "node")))
    summaries = [plans.summarise(plan, today) for plan in found]
    if not summaries:
        section.intro.append("No plan of this site is recorded.")
        return section
    section.intro.append(
        f"Overdue: an open action past its target date on {today.isoformat()}; at risk: "
        f"blocked, or not started and due within {plans.AT_RISK_DAYS} days.")
    rows = []
    for summary in summaries:
        actions = [a for o in summary.objectives for a in o.actions]
        done = sum(a.status == ActionStatus.DONE for a in actions)
        rows.append([summary.plan.title, summary.plan.get_status_display(),
                     decimal_percent(summary.progress), str(len(summary.objectives)),
                     str(len(actions)), str(done), str(len(summary.overdue)),
                     str(len(summary.at_risk))])
    section.table("Plans", ["Plan", "Status", "Progress", "Objectives", "Actions", "Done",
                            "Overdue", "At risk"], rows)
    for summary in summaries:
        section.table(
            f"Objectives of “{summary.plan.title}”",
            ["Objective", "Progress", "Actions", "Done", "Overdue", "At risk"],
            [[o.objective.text, decimal_percent(o.progress), str(len(o.actions)),
              str(sum(a.status == ActionStatus.DONE for a in o.actions)),
              str(sum(a in summary.overdue for a in o.actions)),
              str(sum(a in summary.at_risk for a in o.actions))]
             for o in summary.objectives])
        flagged = [(a, "overdue") for a in summary.overdue] + \
                  [(a, "at risk") for a in summary.at_risk]
        if flagged:
            section.table(f"Actions overdue or at risk in “{summary.plan.title}”",
                          ["Action", "Responsible", "Target", "Status", "Flag"],
                          [[a.text, a.responsible, date_text(a.target_on), a.get_status_display(),
                            flag] for a, flag in flagged])
    return section


def team_section(node: OrgNode, viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Teams and recent decisions")
    teams = list(all_or_visible(Team.objects.all(), viewer).filter(**within(node, "node"))
                 .select_related("node").prefetch_related("members"))
    if not teams:
        section.intro.append("No team of this site is recorded.")
        return section
    section.table("Teams", ["Team", "Kind", "Site", "Members", "Meets"],
                  [[t.name, t.get_kind_display(), t.node.name, str(len(t.members.all())),
                    t.get_cadence_display()] for t in teams])
    since = today - datetime.timedelta(days=RECENT_DAYS)
    decisions = (Decision.objects.filter(meeting__team__in=teams, meeting__held_on__gte=since,
                                         meeting__held_on__lte=today)
                 .select_related("meeting__team").order_by("-meeting__held_on", "pk"))
    section.table(f"Decisions of the last {RECENT_DAYS} days ({since.isoformat()} to "
                  f"{today.isoformat()})", ["Date", "Team", "Meeting", "Decision"],
                  [[date_text(d.meeting.held_on), d.meeting.team.name, d.meeting.title, d.text]
                   for d in decisions] or [["—", "—", "—", "No decision recorded."]])
    return section


def dosage_chart(rows: list[support.DosageRow], title: str, category: str,
                  description: str) -> Chart:
    spec = implementation_charts.hours_bar_chart(rows, title=title, description=description,
                                                 category=category)
    return Chart(title, description, spec, Table(title, [category, "Activities", "Hours"],
                                                 [[r.label, str(r.activities), str(r.hours)]
                                                  for r in rows]))


def support_section(node: OrgNode, viewer: Viewer, period: Period) -> Section:
    section = Section("Implementation support received")
    activities = all_or_visible(SupportActivity.objects.all(), viewer).filter(
        **within(node, "node"), occurred_on__gte=period.start, occurred_on__lte=period.end)
    total = support.total_minutes(activities) / 60
    section.intro.append(f"{activities.count()} support activities, {total:.1f} hours, "
                         f"{period.start.isoformat()} to {period.end.isoformat()}.")
    if not activities.exists():
        return section
    section.blocks.append(dosage_chart(
        support.dosage_by_kind(activities), "Support hours by kind", "Kind",
        "Hours by kind of support activity."))
    section.blocks.append(dosage_chart(
        support.dosage_by_provider(activities), "Support hours by provider", "Provider",
        "Hours each provider gave; shared sessions count for each."))
    return section
