"""Sign-in, sign-out and failed sign-in become audit events, whichever backend handled them; so
does a background import job being submitted (core sends ``job_submitted``, imports no audit)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from practicehub.accounts.models import User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.models import ImportJob
from practicehub.core.services.jobs import job_submitted


@receiver(user_logged_in)
def _signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    record_event(Action.SIGN_IN, actor=user, object_type="accounts.user", object_id=str(user.pk))


@receiver(user_logged_out)
def _signed_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_event(Action.SIGN_OUT, actor=user, object_type="accounts.user",
                     object_id=str(user.pk))


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: Any = None,
                    **kwargs: Any) -> None:
    # The username as typed is kept (truncated); the password never reaches this handler's output.
    record_event(Action.SIGN_IN_FAILED, actor_label=str(credentials.get("username", ""))[:150])


@receiver(job_submitted)
def _job_submitted(sender: Any, job: ImportJob, **kwargs: Any) -> None:
    record_event(Action.CREATE, obj=job, fields=["kind", "file_name"])
