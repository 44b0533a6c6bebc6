from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from practicehub.accounts.permissions import url_permissions
from practicehub.accounts.services.scoping import has_capability


class PermissionMapMiddleware:
    """Enforces the permission map before any view runs.

    The map is the one place that says who may open a URL: unknown URL names are refused,
    anonymous users are sent to sign in, and a missing capability answers 403. Record-level
    scoping (404 outside scope) stays with the views' ``visible_to`` queries.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        rule = url_permissions().get(match.view_name) if match else None
        if rule is None:
            raise PermissionDenied("This address has no entry in the permission map.")
        if rule.public:
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if rule.capability is not None and not has_capability(request.user, rule.capability):
            raise PermissionDenied("Your roles do not allow this.")
        return None
