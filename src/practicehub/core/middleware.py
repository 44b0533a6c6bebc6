"""Refuses a request body over the configured limit before anything reads it, and answers a
service's refusal on the pages by its kind."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from practicehub.core.errors import Forbidden, OutsideScope, Unavailable
from practicehub.core.uploads import human_size

API_PREFIX = "/api/"


def body_limit(content_type: str) -> int:
    """The largest body accepted: a multipart upload may also carry one file of the upload limit
    (the upload handler checks the file itself)."""
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if content_type.startswith("multipart/form-data"):
        limit += int(settings.MAX_UPLOAD_SIZE) * 2
    return limit


class RequestSizeLimitMiddleware:
    """A body over the limit answers 413 naming the limit and the size: JSON for the API, a page
    otherwise (Django would answer a bare 400 once a view or the CSRF check read it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0
        limit = body_limit(str(request.META.get("CONTENT_TYPE", "")))
        if size > limit:
            return _too_large(request, size, limit)
        return self.get_response(request)


def _too_large(request: HttpRequest, size: int, limit: int) -> HttpResponse:
    message = (f"The request body is {human_size(size)}; the largest accepted is "
               f"{human_size(limit)}.")
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": message, "limit_bytes": limit, "size_bytes": size},
                            status=413)
    return render(request, "413.html", {"message": message}, status=413)


class RefusalMiddleware:
    """A refusal a service raised, answered on the pages as its kind says: outside scope as
    404, forbidden as 403, stored data that cannot be read now (an outcome database that does
    not answer, or one lacking a fact table or column a newer import adds) as 503 saying what
    to do, instead of a 500. The API answers them itself (``api/errors.py``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Raised here, Http404 and PermissionDenied get Django's own 404 and 403 pages.
        if isinstance(exception, OutsideScope):
            raise Http404(str(exception)) from exception
        if isinstance(exception, Forbidden):
            raise PermissionDenied(str(exception)) from exception
        if not isinstance(exception, Unavailable):
            return None
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": str(exception)}, status=503)
        return render(request, "503.html", {"message": str(exception),
                                            "heading": exception.HEADING}, status=503)
