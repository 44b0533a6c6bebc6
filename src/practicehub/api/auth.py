"""API authentication as ninja sees it: the permission map middleware has already decided.

Session requests that change data must carry the CSRF token, as forms do; token requests do not.
A session write without a good token is refused with 403 and a detail that says what was wrong
with the token and how to send it (a bare 401 would tell a signed-in caller to sign in).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from ninja.errors import HttpError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
HOW_TO_SEND = ("Send the value of the csrftoken cookie in an X-CSRFToken header with every "
               "POST, PUT, PATCH or DELETE made with your signed-in session, or authenticate "
               "scripts with Authorization: Bearer <token> (practicehub token create) instead.")


class CsrfRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, reporting its reason instead of rendering the HTML 403 page."""

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        raise CsrfRefused(reason)


def _no_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def csrf_problem(request: HttpRequest) -> str | None:
    """Why the request's CSRF token is refused, in Django's words; None when it is good."""
    check = _CsrfCheck(_no_view)
    request.csrf_processing_done = False  # type: ignore[attr-defined]
    try:
        check.process_request(request)
        check.process_view(request, _no_view, (), {})
    except CsrfRefused as refused:
        return refused.reason
    return None


def signed_in(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated:
        return None
    if getattr(request, "api_token_auth", False) or request.method in SAFE_METHODS:
        return user
    problem = csrf_problem(request)
    if problem:
        raise HttpError(403, f"CSRF check failed: {problem} {HOW_TO_SEND}")
    return user
