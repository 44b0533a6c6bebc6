from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from practicehub.audit.context import context_for, current_request


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
