"""Reviews of progress: recorded for a site on a date, with the window they look back over and
the decisions taken in them; a decision can create a plan action step, which links back to it.

The window runs from the day after the site's previous review (the latest one held before this
one) to the review's day; a site's first review looks back to the start of its earliest active
plan (or of any plan, or a quarter when it has none). Reviews still to come look back to today.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from practicehub.accounts.models import OrgNode, User, Visitor
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.services.versioning import save_if_current
from practicehub.implementation.models import (
    Meeting,
    Objective,
    Plan,
    PlanStatus,
    Review,
    ReviewDecision,
    ReviewKind,
    Team,
)
from practicehub.implementation.services import plans
from practicehub.implementation.services.access import InvalidInput, require_manage

FIRST_LOOK_BACK_DAYS = 91  # a first review of a site with no plan looks back about a quarter
REVIEW_FIELDS = ("kind", "held_on", "title", "team", "meeting", "notes")


def _within(node: OrgNode, other: OrgNode) -> bool:
    """``other`` is the site itself, in its subtree or above it (a county team reviews an
    office; a region's team reviews a county)."""
    return other.path.startswith(node.path) or node.path.startswith(other.path)


def _checked(node: OrgNode, fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("kind") not in ReviewKind.values:
        raise InvalidInput("kind", f"must be one of {', '.join(ReviewKind.values)}")
    if not str(fields.get("title", "")).strip():
        raise InvalidInput("title", "must not be blank")
    fields["title"] = fields["title"].strip()
    team: Team | None = fields.get("team")
    meeting: Meeting | None = fields.get("meeting")
    if team is not None and not _within(node, team.node):
        raise InvalidInput("team", f"{team} is not a team of {node.name} or above it")
    if meeting is not None:
        if not _within(node, meeting.team.node):
            raise InvalidInput("meeting", f"{meeting} is not a meeting of {node.name}'s teams")
        if team is not None and meeting.team_id != team.pk:
            raise InvalidInput("meeting", f"{meeting} is a meeting of {meeting.team}, not {team}")
    return fields


def create_review(user: User, *, node: OrgNode, kind: str, held_on: datetime.date, title: str,
                  team: Team | None = None, meeting: Meeting | None = None,
                  notes: str = "") -> Review:
    require_manage(user, node)
    values = _checked(node, {"kind": kind, "held_on": held_on, "title": title, "team": team,
                             "meeting": meeting, "notes": notes})
    review = Review.objects.create(node=node, created_by=user, **values)
    record_event(Action.CREATE, obj=review, node=node)
    return review


def update_review(user: User, review: Review, *, expected_version: int | None = None,
                  **fields: Any) -> Review:
    """Change a review's fields; refused with ``StaleEdit`` if it was saved since
    ``expected_version``."""
    require_manage(user, review.node)
    unknown = set(fields) - set(REVIEW_FIELDS)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "is not a field of a review you can edit")
    current = {name: getattr(review, name) for name in REVIEW_FIELDS}
    values = _checked(review.node, {**current, **fields})
    changed = {name: value for name, value in values.items() if current[name] != value}
    if changed:
        save_if_current(review, expected_version, changed)
        record_event(Action.UPDATE, obj=review, node=review.node, fields=list(changed))
    return review


def reviews_in_scope(user: Visitor) -> QuerySet[Review]:
    return Review.objects.visible_to(user).select_related("node", "team", "meeting")


@dataclass(frozen=True)
class Window:
    """The days a review looks back over, both ends included."""

    since: datetime.date
    until: datetime.date
    previous: Review | None

    def holds(self, day: datetime.date | None) -> bool:
        return day is not None and self.since <= day <= self.until


def previous_review(review: Review) -> Review | None:
    return (Review.objects.filter(node=review.node)
            .filter(Q(held_on__lt=review.held_on) | Q(held_on=review.held_on, pk__lt=review.pk))
            .order_by("-held_on", "-pk").first())


def site_plans(node: OrgNode) -> QuerySet[Plan]:
    """Plans of the site and the sites under it."""
    return Plan.objects.filter(node__path__startswith=node.path)


def window_of(review: Review, today: datetime.date) -> Window:
    until = min(review.held_on, today)
    previous = previous_review(review)
    if previous is not None:
        return Window(previous.held_on + datetime.timedelta(days=1), until, previous)
    found = site_plans(review.node)
    active = found.filter(status=PlanStatus.ACTIVE)
    start = (active.order_by("start_on").values_list("start_on", flat=True).first()
             or found.order_by("start_on").values_list("start_on", flat=True).first()
             or until - datetime.timedelta(days=FIRST_LOOK_BACK_DAYS))
    return Window(min(start, until), until, None)


def decision_teams(review: Review) -> QuerySet[Team]:
    """Teams a decision's new step can be given to: of the site, under it or above it."""
    parts = [part for part in review.node.path.split("/") if part]
    above = ["/" + "/".join(parts[:depth]) + "/" for depth in range(1, len(parts))]
    return (Team.objects.filter(Q(node__path__startswith=review.node.path)
                                | Q(node__path__in=above))
            .select_related("node").order_by("node__path", "name"))


def decision_objectives(review: Review) -> QuerySet[Objective]:
    """Objectives a decision may add a step to: open objectives of the site's plans that are
    not finished (draft or active)."""
    return (Objective.objects.filter(plan__in=site_plans(review.node),
                                     plan__status__in=[PlanStatus.DRAFT, PlanStatus.ACTIVE],
                                     closed_on__isnull=True)
            .select_related("plan").order_by("plan__title", "order", "pk"))


@dataclass(frozen=True)
class NewAction:
    """The plan action step a decision creates."""

    objective: Objective
    responsible: str
    target_on: datetime.date
    text: str = ""  # the decision's own wording when blank
    responsible_team: Team | None = None


@transaction.atomic
def add_decision(user: User, review: Review, text: str,
                 action: NewAction | None = None) -> ReviewDecision:
    """Record a decision; with ``action``, also add the step to the chosen objective, linked
    back to the decision."""
    require_manage(user, review.node)
    if not text.strip():
        raise InvalidInput("text", "must not be blank")
    created = None
    if action is not None:
        if not decision_objectives(review).filter(pk=action.objective.pk).exists():
            raise InvalidInput("objective", "choose an open objective of a plan of "
                                            f"{review.node.name}")
        if action.responsible_team is not None and not _within(review.node,
                                                              action.responsible_team.node):
            raise InvalidInput("responsible_team", f"{action.responsible_team} is not a team "
                                                   f"of {review.node.name} or above it")
        created = plans.add_action(user, action.objective, text=action.text or text,
                                   responsible=action.responsible, target_on=action.target_on,
                                   responsible_team=action.responsible_team)
    decision = ReviewDecision.objects.create(review=review, text=text.strip(), action=created)
    record_event(Action.CREATE, obj=decision, node=review.node)
    return decision


def upcoming(user: Visitor, today: datetime.date, days: int = 30) -> QuerySet[Review]:
    """Reviews in scope held from today to ``days`` ahead, soonest first."""
    return (reviews_in_scope(user)
            .filter(held_on__gte=today, held_on__lte=today + datetime.timedelta(days=days))
            .order_by("held_on", "pk"))
