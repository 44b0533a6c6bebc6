"""The support-activity log and its dosage roll-ups.

Dosage is summed in the database (one grouped query per breakdown) so it stays fast with years
of logs. An activity with two providers counts in full for each of them in the provider
breakdown, since each gave that time; every other breakdown counts it once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from practicehub.accounts.models import NodeKind, OrgNode, User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.implementation.models import (
    ActivityKind,
    Driver,
    Lesson,
    LessonKind,
    Mode,
    Objective,
    Sharing,
    SupportActivity,
    Team,
)
from practicehub.implementation.services.access import InvalidInput, require_manage
from practicehub.practice_model.models import CapacityArea, Practice
from practicehub.practice_model.services.profiles import competency_labels

# A day of onsite work is the longest single contact anyone logs; longer is a typing mistake.
MAX_MINUTES = 16 * 60


@dataclass
class ActivityInput:
    node: OrgNode
    kind: str
    occurred_on: datetime.date
    duration_minutes: int
    mode: str
    summary: str = ""
    providers: list[User] | None = None
    provider_organisation: OrgNode | None = None
    recipient_teams: list[Team] | None = None
    recipient_nodes: list[OrgNode] | None = None
    practices: list[Practice] | None = None
    capacity_areas: list[CapacityArea] | None = None
    drivers: list[str] | None = None
    competencies: list[str] | None = None
    objectives: list[Objective] | None = None
    follow_ups: str = ""


def _check_competencies(codes: list[str]) -> None:
    """Every code must be a competency of the published implementation-support profile."""
    if not codes:
        return
    known = competency_labels()
    unknown = sorted(set(codes) - set(known))
    if unknown and not known:
        raise InvalidInput("competencies", "no implementation-support profile is published, so "
                           f"no competency can be named (got {unknown[0]!r})")
    if unknown:
        raise InvalidInput("competencies", f"unknown competency {unknown[0]!r}: not in the "
                           f"implementation-support profile (known: {', '.join(known)})")


def _check_activity(data: ActivityInput) -> None:
    if data.kind not in ActivityKind.values:
        raise InvalidInput("kind", f"must be one of {', '.join(ActivityKind.values)}")
    if data.mode not in Mode.values:
        raise InvalidInput("mode", f"must be one of {', '.join(Mode.values)}")
    if not 0 < data.duration_minutes <= MAX_MINUTES:
        raise InvalidInput("duration_minutes", f"must be between 1 and {MAX_MINUTES} minutes")
    unknown = set(data.drivers or []) - set(Driver.values)
    if unknown:
        raise InvalidInput("drivers", f"unknown driver {sorted(unknown)[0]!r}")
    _check_competencies(data.competencies or [])
    if data.provider_organisation and data.provider_organisation.kind != NodeKind.PARTNER \
            and data.provider_organisation.kind != NodeKind.REGION:
        raise InvalidInput("provider_organisation", "must be a partner organisation or region")
    for team in data.recipient_teams or []:
        if not team.node.path.startswith(data.node.path):
            raise InvalidInput("recipient_teams", f"{team} is not a team of {data.node}")
    for node in data.recipient_nodes or []:
        if not node.path.startswith(data.node.path):
            raise InvalidInput("recipient_nodes", f"{node} is not inside {data.node}")
    for objective in data.objectives or []:
        plan_path = objective.plan.node.path
        if not (plan_path.startswith(data.node.path) or data.node.path.startswith(plan_path)):
            raise InvalidInput("objectives", "links only to objectives of plans for this site")


@transaction.atomic
def log_activity(user: User, data: ActivityInput) -> SupportActivity:
    require_manage(user, data.node)
    _check_activity(data)
    activity = SupportActivity.objects.create(
        node=data.node, kind=data.kind, occurred_on=data.occurred_on,
        duration_minutes=data.duration_minutes, mode=data.mode, summary=data.summary,
        provider_organisation=data.provider_organisation, drivers=sorted(data.drivers or []),
        competencies=sorted(data.competencies or []), follow_ups=data.follow_ups,
    )
    activity.providers.set(data.providers or [])
    activity.recipient_teams.set(data.recipient_teams or [])
    activity.recipient_nodes.set(data.recipient_nodes or [])
    activity.practices.set(data.practices or [])
    activity.capacity_areas.set(data.capacity_areas or [])
    activity.objectives.set(data.objectives or [])
    record_event(Action.CREATE, obj=activity)
    return activity


@dataclass(frozen=True)
class DosageRow:
    label: str
    activities: int
    minutes: int

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))


def _rows(grouped: Any, label: Any) -> list[DosageRow]:
    return [DosageRow(label(row), row["activities"], row["minutes"] or 0) for row in grouped]


def dosage_by_site(activities: QuerySet[SupportActivity]) -> list[DosageRow]:
    grouped = (activities.values("node__path", "node__name")
               .annotate(activities=Count("pk"), minutes=Sum("duration_minutes"))
               .order_by("node__path"))
    return _rows(grouped, lambda row: row["node__name"])


def dosage_by_month(activities: QuerySet[SupportActivity]) -> list[DosageRow]:
    grouped = (activities.annotate(month=TruncMonth("occurred_on")).values("month")
               .annotate(activities=Count("pk"), minutes=Sum("duration_minutes"))
               .order_by("month"))
    found = {row.label: row for row in _rows(grouped, lambda row: f"{row['month']:%Y-%m}")}
    if not found:
        return []
    # Every month from the first to the last: a month without support is a zero, not a gap
    # the chart and the table would close up.
    first, last = min(found), max(found)
    year, month = int(first[:4]), int(first[5:])
    rows = []
    while f"{year:04d}-{month:02d}" <= last:
        label = f"{year:04d}-{month:02d}"
        rows.append(found.get(label, DosageRow(label, 0, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def dosage_by_kind(activities: QuerySet[SupportActivity]) -> list[DosageRow]:
    labels = dict(ActivityKind.choices)
    grouped = (activities.values("kind")
               .annotate(activities=Count("pk"), minutes=Sum("duration_minutes"))
               .order_by("kind"))
    return _rows(grouped, lambda row: labels[row["kind"]])


def dosage_by_provider(activities: QuerySet[SupportActivity]) -> list[DosageRow]:
    grouped = (activities.values("providers__username", "providers__first_name",
                                 "providers__last_name")
               .annotate(activities=Count("pk"), minutes=Sum("duration_minutes"))
               .order_by("providers__last_name", "providers__username"))

    def label(row: dict[str, Any]) -> str:
        if row["providers__username"] is None:
            return "No named provider"
        name = f"{row['providers__first_name']} {row['providers__last_name']}".strip()
        return name or str(row["providers__username"])

    return _rows(grouped, label)


def total_minutes(activities: QuerySet[SupportActivity]) -> int:
    return int(activities.aggregate(total=Sum("duration_minutes"))["total"] or 0)


def add_lesson(user: User, *, node: OrgNode, title: str, body: str, created_on: datetime.date,
               kind: str = LessonKind.LESSON, sharing: str = Sharing.WITHIN_NODE,
               link: str = "", practices: list[Practice] | None = None,
               capacity_areas: list[CapacityArea] | None = None,
               drivers: list[str] | None = None) -> Lesson:
    require_manage(user, node)
    if kind not in LessonKind.values:
        raise InvalidInput("kind", f"must be one of {', '.join(LessonKind.values)}")
    if sharing not in Sharing.values:
        raise InvalidInput("sharing", f"must be one of {', '.join(Sharing.values)}")
    if not title.strip():
        raise InvalidInput("title", "must not be blank")
    if not body.strip():
        raise InvalidInput("body", "must not be blank")
    unknown = set(drivers or []) - set(Driver.values)
    if unknown:
        raise InvalidInput("drivers", f"unknown driver {sorted(unknown)[0]!r}")
    with transaction.atomic():
        lesson = Lesson.objects.create(
            node=node, kind=kind, title=title.strip(), body=body.strip(), link=link,
            sharing=sharing, drivers=sorted(drivers or []), created_on=created_on,
            author=user if user.is_authenticated else None,
        )
        lesson.practices.set(practices or [])
        lesson.capacity_areas.set(capacity_areas or [])
    record_event(Action.CREATE, obj=lesson)
    return lesson


def search_lessons(lessons: QuerySet[Lesson], *, text: str = "", practice: str = "",
                   capacity_area: str = "", driver: str = "") -> QuerySet[Lesson]:
    """Filter by words in the title or body and by tag codes (practice and area codes)."""
    for word in text.split():
        lessons = lessons.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if practice:
        lessons = lessons.filter(practices__code=practice)
    if capacity_area:
        lessons = lessons.filter(capacity_areas__code=capacity_area)
    if driver:
        # JSON containment is not available on SQLite, so match the quoted code in the list.
        lessons = lessons.filter(drivers__icontains=f'"{driver}"')
    return lessons.distinct()
