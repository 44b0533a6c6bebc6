"""What is each person's own to do, counted for the home page and mailed as a daily digest.

Each kind of work is counted by the area that owns it, only what is the person's own:

- overdue plan action steps (of teams they sit on, or naming them) and overdue meeting action
  items they own (``implementation.services.owed``);
- observations they started as observer and have not submitted (drafts to finish);
- coaching sessions due: open coaching plans they coach with no session in the last
  ``COACHING_EVERY_DAYS`` days (the monthly coaching rhythm);
- assessments open: administrations they facilitate that have no scores entered yet;
- reviews coming: reviews of their own sites or teams in the next two weeks
  (``implementation.services.owed``).

``practicehub remind`` sends one mail per person with anything to do, through Django's e-mail
settings, unless they turned the digest off on their home page (``DigestSetting``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Max, Model, Q, QuerySet
from django.urls import reverse

from practicehub.accounts.models import User
from practicehub.assessments.models import Administration
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.fidelity.models import CoachingPlan, Observation, Status
from practicehub.implementation.services import owed
from practicehub.site.models import DigestSetting

COACHING_EVERY_DAYS = 30
SHOWN = 5  # lines of detail per kind in the digest


@dataclass(frozen=True)
class Owed:
    """One kind of work and how much of it is the person's: the count, a page, a few lines."""

    key: str
    label: str
    count: int
    url_name: str
    lines: list[str] = field(default_factory=list)

    def href(self) -> str:
        return reverse(self.url_name)


def _first[M: Model](found: QuerySet[M]) -> tuple[int, list[M]]:
    """How many rows ``found`` holds and the first ``SHOWN`` of them: counted only when there
    are more than those (most people owe a few things, and each count is a query)."""
    first = list(found[:SHOWN])
    return (len(first) if len(first) < SHOWN else found.count()), first


def _drafts(user: User) -> tuple[int, list[str]]:
    count, first = _first(Observation.objects.filter(observer=user, status=Status.DRAFT)
                          .select_related("worker").order_by("observed_on", "pk"))
    return count, [f"Observation of {o.worker.get_full_name() or o.worker} on "
                   f"{o.observed_on:%Y-%m-%d}" for o in first]


def _coaching_due(user: User, today: datetime.date) -> tuple[int, list[str]]:
    since = today - datetime.timedelta(days=COACHING_EVERY_DAYS)
    found = (CoachingPlan.objects.filter(coach=user, closed_on__isnull=True)
             .annotate(last=Max("sessions__held_on"))
             .filter(Q(last__lt=since) | Q(last__isnull=True, started_on__lt=since))
             .select_related("person").order_by("last", "pk"))
    count, first = _first(found)
    lines = []
    for plan in first:
        last = getattr(plan, "last", None)
        who = plan.person.get_full_name() or str(plan.person)
        lines.append(f"{who}: last session {last:%Y-%m-%d}" if last else f"{who}: no session yet")
    return count, lines


def _assessments_open(user: User) -> tuple[int, list[str]]:
    found = (Administration.objects.filter(facilitator=user, scores__isnull=True,
                                           votes__isnull=True)
             .select_related("instrument", "node").order_by("administered_on", "pk"))
    count, first = _first(found)
    return count, [str(a) for a in first]


def owed_by(user: User, today: datetime.date) -> list[Owed]:
    """Every kind of work with its count for ``user`` (kinds with none included, count 0)."""
    actions, first_actions = _first(owed.overdue_actions(user, today))
    items, first_items = _first(owed.overdue_items(user, today))
    drafts, draft_lines = _drafts(user)
    coaching, coaching_lines = _coaching_due(user, today)
    assessments, assessment_lines = _assessments_open(user)
    coming, first_coming = _first(owed.reviews_coming(user, today))
    return [
        Owed("actions", "Overdue plan action steps", actions, "implementation:plan_list",
             [f"{a.text} (due {a.target_on:%Y-%m-%d}, {a.objective.plan})"
              for a in first_actions]),
        Owed("items", "Overdue meeting action items", items, "implementation:team_list",
             [f"{i.text} (due {i.due_on:%Y-%m-%d}, {i.meeting.title})" for i in first_items]),
        Owed("drafts", "Observation drafts to finish", drafts, "fidelity:observations",
             draft_lines),
        Owed("coaching", "Coaching sessions due", coaching, "fidelity:plans", coaching_lines),
        Owed("assessments", "Assessments open", assessments, "assessments:index",
             assessment_lines),
        Owed("reviews", "Reviews coming", coming, "implementation:review_list",
             [f"{r.title}, {r.node.name} on {r.held_on:%Y-%m-%d}" for r in first_coming]),
    ]


def wants_digest(user: User) -> bool:
    found = DigestSetting.objects.filter(user=user).first()
    return found is None or found.send_digest


def set_digest(user: User, send: bool) -> None:
    DigestSetting.objects.update_or_create(user=user, defaults={"send_digest": send})
    record_event(Action.UPDATE, obj=user, actor=user, fields=["send_digest"],
                 object_label=f"daily digest {'on' if send else 'off'} for {user}")


def digest_text(user: User, found: list[Owed], today: datetime.date, base_url: str) -> str:
    lines = [f"Good morning {user.get_full_name() or user.username},", "",
             f"What is yours to do in practicehub on {today:%Y-%m-%d}:", ""]
    for kind in found:
        if not kind.count:
            continue
        lines.append(f"{kind.label}: {kind.count}  ({base_url}{kind.href()})")
        lines += [f"  - {line}" for line in kind.lines]
        if kind.count > len(kind.lines):
            lines.append(f"  … and {kind.count - len(kind.lines)} more")
        lines.append("")
    lines += ["You get this mail because the daily digest is on; turn it off on your home "
              f"page ({base_url}{reverse('core:home')}).", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class Digest:
    user: User
    subject: str
    body: str


def digests(today: datetime.date, base_url: str = "") -> list[Digest]:
    """One digest per active person with an e-mail address, the digest on and anything to do."""
    made = []
    people = (User.objects.filter(is_active=True).exclude(email="")
              .order_by("username"))
    for user in people:
        if not wants_digest(user):
            continue
        found = owed_by(user, today)
        total = sum(kind.count for kind in found)
        if not total:
            continue
        made.append(Digest(user, f"practicehub: {total} thing{'s' if total != 1 else ''} to do",
                           digest_text(user, found, today, base_url)))
    return made


def send(found: list[Digest], say: Callable[[str], None]) -> int:
    """Mail each digest through Django's configured e-mail settings."""
    sent = sum(EmailMessage(d.subject, d.body, settings.DEFAULT_FROM_EMAIL,
                            [d.user.email]).send() for d in found)
    say(f"Sent {sent} digest{'s' if sent != 1 else ''}.")
    return sent
