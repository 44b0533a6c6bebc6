"""What a review page gathers for its site and the sites under it, over its window
(``reviews.window_of``), as the viewer may see it:

- the objectives of the active plans, with their indicators' actuals against target and on
  track / off track / no data (``measured``, as the plan page shows them);
- plan action steps overdue on the review's day, split into those whose target date fell in the
  window (newly overdue) and those already overdue when it began; and steps at risk;
- meeting action items still open from meetings up to the review's day, flagged when past due;
- support delivered in the window: activities, hours, hours by kind (the support log's rules);
- assessment results: administrations held in the window that have their scores;
- stage changes: stages entered in the window.

"Overdue on a day" reads the step as it stood then: a step closed (done, or dropped) on or
before that day was not overdue on it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from practicehub.accounts.models import Visitor
from practicehub.assessments.models import Administration
from practicehub.assessments.services import administrations
from practicehub.implementation.models import (
    ActionItem,
    ItemStatus,
    Meeting,
    Plan,
    PlanAction,
    PlanStatus,
    Review,
    StageRecord,
    SupportActivity,
)
from practicehub.implementation.services import measured, plans, reviews, support
from practicehub.implementation.services.measured import MeasuredIndicator
from practicehub.implementation.services.reviews import Window
from practicehub.implementation.services.views_support import plan_actions_in_scope

OPEN_ITEMS = (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)


def overdue_on(action: PlanAction, day: datetime.date) -> bool:
    """Past its target date on ``day`` and not closed by then."""
    if action.target_on >= day:
        return False
    if action.status in plans.CLOSED:
        return action.done_on is not None and action.done_on > day
    return True


@dataclass(frozen=True)
class ObjectiveRow:
    plan: Plan
    objective_text: str
    progress: Decimal | None
    closed_on: datetime.date | None
    measures: list[MeasuredIndicator]


@dataclass(frozen=True)
class ItemRow:
    item: ActionItem
    past_due: bool


@dataclass(frozen=True)
class AssessmentRow:
    administration: Administration
    total: str  # the total score as the assessment page reads it


@dataclass(frozen=True)
class Support:
    activities: int
    minutes: int
    by_kind: list[support.DosageRow]

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Contents:
    window: Window
    objectives: list[ObjectiveRow]
    newly_overdue: list[PlanAction]
    still_overdue: list[PlanAction]
    at_risk: list[PlanAction]
    items: list[ItemRow]
    support: Support
    assessments: list[AssessmentRow]
    stages: list[StageRecord]

    @property
    def items_past_due(self) -> int:
        return sum(1 for row in self.items if row.past_due)


def _objectives(review: Review, viewer: Visitor, day: datetime.date) -> list[ObjectiveRow]:
    found = plans.plans_with_actions(Plan.objects.visible_to(viewer).filter(
        pk__in=reviews.site_plans(review.node), status=PlanStatus.ACTIVE))
    rows = []
    for plan in found:
        measures = measured.measured_objectives(plan, viewer, day)
        rows += [ObjectiveRow(plan, o.text, plans.objective_progress(o), o.closed_on,
                              measures.get(o.pk, [])) for o in plan.objectives.all()]
    return rows


def _actions(review: Review, viewer: Visitor, window: Window
             ) -> tuple[list[PlanAction], list[PlanAction], list[PlanAction]]:
    steps = (plan_actions_in_scope(viewer)
             .filter(objective__plan__in=reviews.site_plans(review.node))
             .select_related("objective__plan").order_by("target_on", "pk"))
    day = window.until
    overdue = [a for a in steps if overdue_on(a, day)]
    return ([a for a in overdue if a.target_on >= window.since],
            [a for a in overdue if a.target_on < window.since],
            [a for a in steps if plans.is_at_risk(a, day)])


def _items(review: Review, viewer: Visitor, day: datetime.date) -> list[ItemRow]:
    found = (ActionItem.objects.filter(
        meeting__in=Meeting.objects.visible_to(viewer).filter(
            team__node__path__startswith=review.node.path, held_on__lte=day),
        status__in=OPEN_ITEMS).select_related("meeting__team", "owner__user")
        .order_by("due_on", "pk"))
    return [ItemRow(item, item.due_on is not None and item.due_on < day) for item in found]


def _support(review: Review, viewer: Visitor, window: Window) -> Support:
    found = SupportActivity.objects.visible_to(viewer).filter(
        node__path__startswith=review.node.path,
        occurred_on__gte=window.since, occurred_on__lte=window.until)
    return Support(found.count(), support.total_minutes(found), support.dosage_by_kind(found))


def _assessments(review: Review, viewer: Visitor, window: Window) -> list[AssessmentRow]:
    found = administrations.visible_administrations(viewer).filter(
        node__path__startswith=review.node.path,
        administered_on__gte=window.since, administered_on__lte=window.until,
    ).order_by("administered_on", "pk")
    rows = []
    for administration in found:
        results = administrations.results_of(administration)
        if results is not None:
            rows.append(AssessmentRow(administration, f"{results.total.shown}"))
    return rows


def _stages(review: Review, viewer: Visitor, window: Window) -> list[StageRecord]:
    return list(StageRecord.objects.visible_to(viewer).filter(
        node__path__startswith=review.node.path,
        entered_on__gte=window.since, entered_on__lte=window.until,
    ).select_related("node", "model_version").order_by("entered_on", "pk"))


def gather(review: Review, viewer: Visitor, today: datetime.date) -> Contents:
    window = reviews.window_of(review, today)
    newly, still, at_risk = _actions(review, viewer, window)
    return Contents(
        window=window, objectives=_objectives(review, viewer, window.until),
        newly_overdue=newly, still_overdue=still, at_risk=at_risk,
        items=_items(review, viewer, window.until),
        support=_support(review, viewer, window),
        assessments=_assessments(review, viewer, window),
        stages=_stages(review, viewer, window),
    )
