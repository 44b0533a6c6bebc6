"""What implementation work is a person's own to do: plan action steps of the teams they sit on
and meeting action items they own, past their dates, and reviews of their sites coming up (for
the home page and the daily digest).

A plan action is theirs when its responsible team has them as a member, or when the
"responsible" text is their full name; an action item when they are its owner. Overdue follows
the plan's rule (``plans.is_overdue``): not done or dropped, the date passed.
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from practicehub.accounts.models import User
from practicehub.accounts.scoping import home_nodes
from practicehub.implementation.models import ActionItem, ItemStatus, PlanAction, Review
from practicehub.implementation.services.plans import CLOSED
from practicehub.implementation.services.reviews import upcoming

REVIEWS_AHEAD_DAYS = 14

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


def reviews_coming(user: User, today: datetime.date) -> QuerySet[Review]:
    """Reviews held today or in the next ``REVIEWS_AHEAD_DAYS`` days of the person's own sites
    (the top sites of their roles, as "my sites" on the home page) or of teams they sit on."""
    mine = Q(node__in=[node.pk for node in home_nodes(user)]) | Q(team__members__user=user)
    return upcoming(user, today, REVIEWS_AHEAD_DAYS).filter(mine).distinct()
