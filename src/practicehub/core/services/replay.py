"""Asking a GET address again in the task worker, as a given person, through the site's own
middleware (the permission map, the refusals, the page downloads) and view.

A background export (``core/services/export_jobs.py``) is the file the request would have
answered: the worker builds a request for the same address and query, signed in as the person
who asked, and runs it through ``settings.MIDDLEWARE`` minus what belongs to a browser's visit
(its session, cookie and CSRF checks, the request id, the audit of reads: the download of the
finished file is audited instead) and minus the HTTPS redirect.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from importlib import import_module
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponseBase
from django.utils.module_loading import import_string

SKIPPED = frozenset({
    "django.middleware.security.SecurityMiddleware",
    "practicehub.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "practicehub.audit.middleware.PersonLevelReadMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
})


class _Handler(BaseHandler):
    """Django's request handler over the replayed part of the middleware (sync only)."""

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware: list[Callable[..., Any]] = []
        self._template_response_middleware: list[Callable[..., Any]] = []
        self._exception_middleware: list[Callable[..., Any]] = []
        handler = convert_exception_to_response(self._get_response)  # type: ignore[attr-defined]
        for name in reversed([m for m in settings.MIDDLEWARE if m not in SKIPPED]):
            middleware = import_string(name)(handler)
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler


def build_request(full_path: str, user: AbstractBaseUser, base: str) -> WSGIRequest:
    """A GET request for ``full_path`` (path and query, as ``get_full_path`` gives them) from
    ``base`` ("https://host:port"), signed in as ``user``."""
    address, where = urlsplit(full_path), urlsplit(base or "http://localhost")
    secure = where.scheme == "https"
    request = WSGIRequest({
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "",
        "PATH_INFO": unquote_to_bytes(address.path).decode("iso-8859-1"),
        "QUERY_STRING": address.query, "HTTP_HOST": where.netloc or "localhost",
        "SERVER_NAME": where.hostname or "localhost",
        "SERVER_PORT": str(where.port or (443 if secure else 80)),
        "wsgi.url_scheme": where.scheme or "http", "wsgi.input": io.BytesIO(b""),
        "REMOTE_ADDR": "127.0.0.1"})
    request.user = user  # type: ignore[assignment]
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    return request


def get(request: WSGIRequest) -> HttpResponseBase:
    """The site's answer to ``request`` (never raises for a refusal: 403, 404, 400 answer)."""
    handler = _Handler()
    handler.load_middleware()
    return handler.get_response(request)
