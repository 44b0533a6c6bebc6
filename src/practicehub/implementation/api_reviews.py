"""API: reviews of progress, what each gathers, and decisions (which can create plan action
steps). Scoped to the caller; reviews outside scope answer 404."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status

from practicehub.accounts.http import AuthedRequest
from practicehub.api.errors import answers
from practicehub.implementation.models import Review, ReviewDecision
from practicehub.implementation.services import review_contents, reviews
from practicehub.implementation.services.access import InvalidInput

router = Router(tags=["implementation"])


class DecisionOut(Schema):
    id: int
    text: str
    action_id: int | None


class ReviewOut(Schema):
    id: int
    title: str
    kind: str
    site: str
    held_on: datetime.date
    team_id: int | None
    meeting_id: int | None
    notes: str
    edit_version: int


class TrackOut(Schema):
    objective: str
    plan_id: int
    indicator_id: int
    description: str
    track: str  # on_track, off_track or no_data


class ReviewDetailOut(ReviewOut):
    since: datetime.date
    until: datetime.date
    previous_review_id: int | None
    indicators: list[TrackOut]
    actions_newly_overdue: list[int]
    actions_still_overdue: list[int]
    actions_at_risk: list[int]
    items_open: int
    items_past_due: int
    support_activities: int
    support_hours: Decimal
    assessments: list[int]
    stage_changes: int
    decisions: list[DecisionOut]


def _review(review: Review) -> ReviewOut:
    return ReviewOut(id=review.pk, title=review.title, kind=review.kind, site=review.node.code,
                     held_on=review.held_on, team_id=review.team_id,
                     meeting_id=review.meeting_id, notes=review.notes,
                     edit_version=review.edit_version)


def _decision(decision: ReviewDecision) -> DecisionOut:
    return DecisionOut(id=decision.pk, text=decision.text, action_id=decision.action_id)


@router.get("/reviews", response=answers(list[ReviewOut]), url_name="implementation_reviews")
def review_list(request: HttpRequest, site: str = "", kind: str = "",
                year: int | None = None) -> list[ReviewOut]:
    """Reviews in scope, latest first; ``site`` (a code) keeps that site and those under it."""
    found = reviews.reviews_in_scope(request.user)
    if site:
        node = found.filter(node__code=site).values_list("node__path", flat=True).first()
        found = found.filter(node__path__startswith=node) if node else found.none()
    if kind:
        found = found.filter(kind=kind)
    if year is not None:
        found = found.filter(held_on__year=year)
    return [_review(r) for r in found[:1000]]


@router.get("/reviews/{pk}", response=answers(ReviewDetailOut, records=True),
            url_name="implementation_review")
def review_detail(request: HttpRequest, pk: int) -> ReviewDetailOut:
    review = get_object_or_404(reviews.reviews_in_scope(request.user), pk=pk)
    found = review_contents.gather(review, request.user, timezone.localdate())
    window = found.window
    return ReviewDetailOut(
        **_review(review).model_dump(), since=window.since, until=window.until,
        previous_review_id=window.previous.pk if window.previous else None,
        indicators=[TrackOut(objective=row.objective_text, plan_id=row.plan.pk,
                             indicator_id=m.indicator.pk, description=m.description,
                             track=m.track.status)
                    for row in found.objectives for m in row.measures],
        actions_newly_overdue=[a.pk for a in found.newly_overdue],
        actions_still_overdue=[a.pk for a in found.still_overdue],
        actions_at_risk=[a.pk for a in found.at_risk],
        items_open=len(found.items), items_past_due=found.items_past_due,
        support_activities=found.support.activities, support_hours=found.support.hours,
        assessments=[row.administration.pk for row in found.assessments],
        stage_changes=len(found.stages),
        decisions=[_decision(d) for d in review.decisions.all()])


class DecisionIn(Schema):
    text: str
    objective_id: int | None = None  # with it, the decision adds an action step there
    action_text: str = ""
    responsible: str = ""
    responsible_team_id: int | None = None
    target_on: datetime.date | None = None


@router.post("/reviews/{pk}/decisions", response=answers(DecisionOut, status=201, records=True),
             url_name="implementation_review_decision")
def review_decision(request: AuthedRequest, pk: int,
                    payload: DecisionIn) -> Status[DecisionOut]:
    review = get_object_or_404(reviews.reviews_in_scope(request.user), pk=pk)
    action = None
    if payload.objective_id is not None:
        objective = reviews.decision_objectives(review).filter(pk=payload.objective_id).first()
        if objective is None:
            raise InvalidInput("objective_id", "not an open objective of a plan of "
                                               f"{review.node.name}")
        if payload.target_on is None:
            raise InvalidInput("target_on", "give the new action step a target date")
        team = None
        if payload.responsible_team_id is not None:
            team = reviews.decision_teams(review).filter(pk=payload.responsible_team_id).first()
            if team is None:
                raise InvalidInput("responsible_team_id", "not a team of "
                                   f"{review.node.name} or above it")
        action = reviews.NewAction(objective=objective, text=payload.action_text,
                                   responsible=payload.responsible, target_on=payload.target_on,
                                   responsible_team=team)
    return Status(201, _decision(reviews.add_decision(request.user, review, payload.text,
                                                      action)))
