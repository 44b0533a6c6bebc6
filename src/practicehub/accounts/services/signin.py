"""Sign-in lockout: repeated failures lock an account for a while.

Failures are counted per account inside a window that starts at the first failure; reaching the
limit locks the account until the window has passed again. A successful sign-in clears the count.
A sign-in to a locked account is refused, and recorded (``sign_in_locked``), before its password
is checked. The sign-in form (``accounts.forms.SignInForm``) shows ``Locked`` as its error.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from practicehub.accounts.models import User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event


class Locked(Exception):
    """The account is locked (or this failure locked it); the message says until when."""


def _window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def find_account(username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip()).first()


def locked_until(user: User, now: datetime | None = None) -> datetime | None:
    now = now or timezone.now()
    if user.locked_until and user.locked_until > now:
        return user.locked_until
    return None


def note_failure(user: User) -> bool:
    """Count one failed sign-in; return True when this failure locks the account."""
    now = timezone.now()
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=user.pk)
        started = account.first_failed_sign_in_at
        if started is None or now - started > _window():
            account.first_failed_sign_in_at = now
            account.failed_sign_ins = 0
        account.failed_sign_ins += 1
        locks: bool = account.failed_sign_ins >= settings.LOGIN_FAILURE_LIMIT
        if locks:
            account.locked_until = now + _window()
            account.failed_sign_ins = 0
            account.first_failed_sign_in_at = None
        account.save(update_fields=["failed_sign_ins", "first_failed_sign_in_at", "locked_until"])
    return locks


def note_success(user: User) -> None:
    if user.failed_sign_ins or user.first_failed_sign_in_at or user.locked_until:
        User.objects.filter(pk=user.pk).update(
            failed_sign_ins=0, first_failed_sign_in_at=None, locked_until=None
        )


def refuse_if_locked(username: str) -> User | None:
    """The account ``username`` names (None when none does); raises ``Locked``, recording the
    refused attempt, when that account is locked."""
    account = find_account(username) if username else None
    if account is None:
        return None
    until = locked_until(account)
    if until is not None:
        record_event(Action.SIGN_IN_LOCKED, actor_label=username[:150],
                     object_type="accounts.user", object_id=str(account.pk))
        raise Locked("This account is locked after too many failed sign-ins. "
                     f"Try again after {timezone.localtime(until):%H:%M} or ask an "
                     "administrator.")
    return account


def count_failure(account: User | None) -> None:
    """A wrong password for ``account``: counted; raises ``Locked`` when it locks the account."""
    if account is not None and note_failure(account):
        raise Locked("Too many failed sign-ins: this account is now locked for "
                     f"{settings.LOGIN_LOCKOUT_MINUTES} minutes.")
