"""Optimistic locking at the API's edge (ADR 0009): reading the version an update started from,
and answering a stale one.

A detail GET returns ``edit_version`` in its body and as the ``ETag`` header; an update names it
back as ``edit_version`` in its body or as ``If-Match``. An update that names none answers 428,
one that names an older version 409 with the fields now saved differently.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError

from practicehub.core.services.versioning import StaleEdit, VersionedModel

_ETAG = re.compile(r'^\s*(?:W/)?"(\d+)"\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def tag(response: HttpResponse, record: VersionedModel) -> None:
    """Put the record's version in the response's ``ETag`` header."""
    response["ETag"] = etag(record.edit_version)


def expected_version(request: HttpRequest, sent: int | None) -> int:
    """The version the caller read, from ``If-Match`` or the body's ``edit_version``."""
    header = request.headers.get("If-Match")
    from_header = None
    if header is not None:
        match = _ETAG.match(header)
        if match is None:
            raise HttpError(400, 'If-Match: send the ETag the record was read with, for example '
                            '"3"; a list of tags or * is not accepted.')
        from_header = int(match.group(1))
    if from_header is not None and sent is not None and from_header != sent:
        raise HttpError(400, f"edit_version {sent} and If-Match {header} name different "
                        "versions; send one.")
    found = from_header if from_header is not None else sent
    if found is None:
        raise HttpError(428, "Send the edit_version you read (in the body, or the ETag as "
                        "If-Match): without it this update could overwrite someone else's.")
    return found


def stale_response(error: StaleEdit) -> tuple[dict[str, object], dict[str, str]]:
    """The 409 body and headers for a stale update."""
    headers = {} if error.current_version is None else {"ETag": etag(error.current_version)}
    return error.as_json(), headers
