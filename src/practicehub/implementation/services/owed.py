"""What implementation work is a person's own to do: plan action steps of the teams they sit on
and meeting action items they own, past their dates (for the home page and the daily digest).

A plan action is theirs when its responsible team has them as a member, or when the
"responsible" text is their full name; an action item when they are its owner. Overdue follows
the plan's rule (``plans.is_overdue``): not done or dropped, the date passed.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from practicehub.accounts.models import User
from practicehub.implementation.models import ActionItem, ItemStatus, PlanAction
from practicehub.implementation.services.plans import CLOSED

ITEM_CLOSED = (ItemStatus.DONE, ItemStatus.DROPPED)


def overdue_actions(user: User, today: datetime.date) -> QuerySet[PlanAction]:
    name = user.get_full_name().strip()
    theirs = Q(responsible_team__members__user=user)
    if name:
        theirs |= Q(responsible__iexact=name)
    return (PlanAction.objects.filter(theirs, target_on__lt=today)
            .exclude(status__in=list(CLOSED)).select_related("objective__plan")
            .distinct().order_by("target_on", "pk"))


def overdue_items(user: User, today: datetime.date) -> QuerySet[ActionItem]:
    return (ActionItem.objects.filter(owner__user=user, due_on__lt=today)
            .exclude(status__in=ITEM_CLOSED).select_related("meeting")
            .order_by("due_on", "pk"))
