"""Personal API tokens: shown once when issued, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from practicehub.accounts.models import ApiToken, User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    raw = f"ph_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=_hash(raw))
    record_event(Action.CREATE, obj=token, fields=["name"])
    return token, raw


def user_for_token(raw: str) -> User | None:
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=_hash(raw), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    record_event(Action.UPDATE, obj=token, fields=["revoked_at"])
