"""The request being served (its id, client address, the request), available to services without
passing it around: audit events carry it, background jobs set it to act as their submitter."""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None
    request: HttpRequest | None = None


current_request: ContextVar[RequestContext | None] = ContextVar("current_request", default=None)


def client_ip(request: HttpRequest) -> str | None:
    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[0].strip())
    remote = request.META.get("REMOTE_ADDR")
    return str(remote) if remote else None


def context_for(request: HttpRequest) -> RequestContext:
    incoming = str(request.META.get("HTTP_X_REQUEST_ID", ""))[:64]
    return RequestContext(
        request_id=incoming or uuid.uuid4().hex, ip_address=client_ip(request), request=request
    )
