"""The kinds of audit events. Kept as data so the audit page can filter on them."""

from __future__ import annotations

from django.db import models


class Action(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_IN_LOCKED = "sign_in_locked", "Sign-in refused: account locked"
    SIGN_OUT = "sign_out", "Signed out"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    PUBLISH = "publish", "Published"
    ROLE_GRANT = "role_grant", "Role granted"
    ROLE_REVOKE = "role_revoke", "Role revoked"
    VIEW = "view", "Viewed person-level data"
    EXPORT = "export", "Exported"
