"""API authentication as ninja sees it: the permission map middleware has already decided.

Session requests that change data must carry the CSRF token, as forms do; token requests do not.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.utils import check_csrf

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def signed_in(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated:
        return None
    if getattr(request, "api_token_auth", False) or request.method in SAFE_METHODS:
        return user
    return None if check_csrf(request) else user
