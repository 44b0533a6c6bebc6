"""The request a signed-in page receives.

``PermissionMapMiddleware`` sends anonymous visitors of every non-public URL to sign-in before
the view runs, so a view of a signed-in page may rely on ``request.user`` being a ``User``.
"""

from __future__ import annotations

from practicehub.accounts.models import User
from practicehub.core.http import HtmxHttpRequest


class AuthedRequest(HtmxHttpRequest):
    """A request of a signed-in user, as views see it after the permission map ran."""

    user: User

