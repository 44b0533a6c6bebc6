"""Every implementation list as a table for CSV and Excel, limited to what the user can see."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from practicehub.accounts.models import User
from practicehub.core.services.tables import Table
from practicehub.implementation.models import (
    ActionItem,
    Lesson,
    Meeting,
    Plan,
    PlanAction,
    StageRecord,
    SupportActivity,
    Team,
    TeamMember,
)
from practicehub.implementation.services import plans, support
from practicehub.practice_model.services.profiles import competency_labels


def _percent(value: Any) -> Any:
    return None if value is None else round(value * 100)


def teams_table(user: User, today: datetime.date) -> Table:
    rows = [[t.node.name, t.name, t.get_kind_display(), t.get_cadence_display(), t.formed_on,
             t.members.count()] for t in Team.objects.visible_to(user).select_related("node")]
    return Table("teams", "Teams", ["Site", "Team", "Kind", "Cadence", "Formed on", "Members"],
                 rows)


def members_table(user: User, today: datetime.date) -> Table:
    found = TeamMember.objects.filter(team__in=Team.objects.visible_to(user)).select_related(
        "team", "user", "organisation")
    rows = [[m.team.name, m.display_name, m.get_role_display(),
             m.organisation.name if m.organisation else ""] for m in found]
    return Table("members", "Team members", ["Team", "Member", "Role", "Partner organisation"],
                 rows)


def meetings_table(user: User, today: datetime.date) -> Table:
    found = Meeting.objects.visible_to(user).select_related("team")
    rows = [[m.team.name, m.held_on, m.title, m.get_kind_display(), m.decisions.count(),
             m.action_items.count()] for m in found]
    return Table("meetings", "Meetings", ["Team", "Held on", "Title", "Kind", "Decisions",
                                          "Action items"], rows)


def items_table(user: User, today: datetime.date) -> Table:
    found = ActionItem.objects.filter(meeting__in=Meeting.objects.visible_to(user)
                                      ).select_related("meeting__team", "owner__user")
    rows = [[i.meeting.team.name, i.meeting.held_on, i.text,
             i.owner.display_name if i.owner else "", i.due_on, i.get_status_display()]
            for i in found]
    return Table("action-items", "Action items", ["Team", "Meeting", "Action item", "Owner",
                                                  "Due on", "Status"], rows)


def plans_table(user: User, today: datetime.date) -> Table:
    rows = []
    for plan in plans.plans_with_actions(Plan.objects.visible_to(user)):
        summary = plans.summarise(plan, today)
        rows.append([plan.node.name, plan.title, plan.get_kind_display(),
                     plan.get_status_display(), plan.start_on, plan.reassess_on,
                     _percent(summary.progress), len(summary.overdue), len(summary.at_risk)])
    return Table("plans", "Plans", ["Site", "Plan", "Kind", "Status", "Start", "Reassess",
                                    "Progress %", "Overdue actions", "At-risk actions"], rows)


def actions_table(user: User, today: datetime.date) -> Table:
    found = PlanAction.objects.filter(objective__plan__in=Plan.objects.visible_to(user)
                                      ).select_related("objective__plan")
    rows = [[a.objective.plan.title, a.objective.text, a.text, a.responsible, a.target_on,
             a.get_status_display(),
             "overdue" if plans.is_overdue(a, today) else
             ("at risk" if plans.is_at_risk(a, today) else "")] for a in found]
    return Table("plan-actions", "Plan actions", ["Plan", "Objective", "Action step",
                                                  "Responsible", "Target date", "Status",
                                                  "Flag"], rows)


def stages_table(user: User, today: datetime.date) -> Table:
    found = StageRecord.objects.visible_to(user).select_related("node", "model_version")
    rows = [[r.node.name, r.model_version.ref, r.get_stage_display(), r.entered_on, r.evidence]
            for r in found]
    return Table("stages", "Stage history", ["Site", "Practice model", "Stage", "Entered on",
                                             "Evidence"], rows)


def support_table(user: User, today: datetime.date) -> Table:
    found = SupportActivity.objects.visible_to(user).select_related("node").prefetch_related(
        "providers")
    labels = competency_labels()
    rows = [[a.occurred_on, a.node.name, a.get_kind_display(), a.get_mode_display(),
             a.duration_minutes, ", ".join(str(p) for p in a.providers.all()),
             "; ".join(labels.get(code, code) for code in a.competencies), a.summary,
             a.follow_ups] for a in found]
    return Table("support", "Support activities", ["Date", "Site", "Kind", "Mode", "Minutes",
                                                   "Providers", "Competencies used", "Summary",
                                                   "Follow-ups"], rows)


def dosage_table(user: User, today: datetime.date) -> Table:
    activities = SupportActivity.objects.visible_to(user)
    rows: list[list[Any]] = []
    for name, breakdown in (("site", support.dosage_by_site), ("month", support.dosage_by_month),
                            ("kind", support.dosage_by_kind),
                            ("provider", support.dosage_by_provider)):
        rows += [[name, row.label, row.activities, row.hours] for row in breakdown(activities)]
    return Table("dosage", "Support dosage", ["Breakdown", "Group", "Activities", "Hours"], rows)


def lessons_table(user: User, today: datetime.date) -> Table:
    found = Lesson.objects.visible_to(user).select_related("node")
    rows = [[x.created_on, x.node.name, x.get_kind_display(), x.title, x.get_sharing_display(),
             x.link] for x in found]
    return Table("lessons", "Lessons and resources", ["Date", "Site", "Kind", "Title",
                                                      "Sharing", "Link"], rows)


TABLES: dict[str, Callable[[Any, datetime.date], Table]] = {
    "teams": teams_table, "members": members_table, "meetings": meetings_table,
    "action-items": items_table, "plans": plans_table, "plan-actions": actions_table,
    "stages": stages_table, "support": support_table, "dosage": dosage_table,
    "lessons": lessons_table,
}
