from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from practicehub.accounts.permissions import url_permissions
from practicehub.audit.services.reads import record_read
from practicehub.core.request_context import context_for, current_request


class RequestContextMiddleware:
    """Gives every request an id (echoed in X-Request-ID) that its audit events carry."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = context_for(request)
        token = current_request.set(context)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response["X-Request-ID"] = context.request_id
        return response


class PersonLevelReadMiddleware:
    """Records each successful read of a person-level URL and each download, in one place.

    Which URLs are person-level is declared in the permission map (``person_level``); see
    ``audit/services/reads.py``. Sits after the permission map so refused requests record nothing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # A background export's file is audited as the address it was asked at (site's
        # export_download sets ``audited_as``), as the download answered there would be.
        match = getattr(request, "audited_as", None) or getattr(request, "resolver_match", None)
        if match is not None:
            rule = url_permissions().get(match.view_name)
            if rule is not None:
                record_read(request, match.view_name, rule, dict(match.kwargs), response)
        return response
