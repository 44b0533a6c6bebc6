from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse

from practicehub.accounts.permissions import url_permissions
from practicehub.accounts.roles import Rule
from practicehub.accounts.scoping import has_capability
from practicehub.accounts.services.tokens import user_for_token

API_NAMESPACE = "api"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class PermissionMapMiddleware:
    """Enforces the permission map before any view runs.

    The map is the one place that says who may open a URL: unknown URL names are refused,
    anonymous users are sent to sign in (the API answers 401 instead), and a missing capability
    answers 403. Record-level scoping (404 outside scope) stays with ``visible_to`` queries.
    API requests may authenticate with ``Authorization: Bearer <token>`` instead of a session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        is_api = bool(match) and API_NAMESPACE in (match.namespaces if match else [])
        if is_api:
            _authenticate_token(request)
        rule = url_permissions().get(match.view_name) if match else None
        if rule is None:
            return _deny(is_api, "This address has no entry in the permission map.")
        return _check(request, rule, is_api)


def _authenticate_token(request: HttpRequest) -> None:
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    if not header.startswith("Bearer "):
        return
    user = user_for_token(header.removeprefix("Bearer ").strip())
    if user is not None:
        request.user = user
        # Token requests carry no cookies, so they need (and get) no CSRF token.
        request.api_token_auth = True  # type: ignore[attr-defined]


def _check(request: HttpRequest, rule: Rule, is_api: bool) -> HttpResponse | None:
    if rule.public:
        return None
    if not request.user.is_authenticated:
        if is_api:
            return JsonResponse({"detail": "Sign in or send an API token."}, status=401)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
    if rule.capability is not None and not has_capability(request.user, rule.capability):
        return _deny(is_api, "Your roles do not allow this.")
    if (rule.writes is not None and request.method not in SAFE_METHODS
            and not has_capability(request.user, rule.writes)):
        return _deny(is_api, "Your roles do not allow this change.")
    return None


def _deny(is_api: bool, reason: str) -> HttpResponse:
    if is_api:
        return JsonResponse({"detail": reason}, status=403)
    raise PermissionDenied(reason)
