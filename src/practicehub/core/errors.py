"""The one family of refusals: input a rule turned down, with where each problem is.

Services raise these; the API answers them by kind (``api/main.py``: 422, 403, 404, 503) and the
pages show the message. An app's own error class derives from ``Refused`` when it means "this
input is refused", so one handler knows them all and each keeps its own message. Imports no
Django and no app, so any layer may raise them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Located:
    """One problem and where it is: a field, or a file's line and column (any may be unknown)."""

    message: str
    field: str | None = None
    line: int | None = None
    column: str | None = None
    source: str | None = None


class Refused(ValueError):
    """Input refused before anything changed; the message is shown to the person as is."""

    status = 422

    def __init__(self, message: str, located: Iterable[Located] = ()) -> None:
        super().__init__(message)
        self.located = tuple(located)

    def problems_found(self) -> tuple[Located, ...]:
        """The located problems, or the message itself as the one problem."""
        return self.located or (Located(message=str(self)),)


class Forbidden(Refused):
    """The caller may see the record but their roles do not allow this change."""

    status = 403


class OutsideScope(Refused):
    """The record is not in the caller's scope, or does not exist: both answer the same."""

    status = 404


class Unavailable(Refused):
    """Stored data the request reads cannot be read now: the pages and the API answer 503 with
    the message (what is wrong and what to do), never a bare server error. ``HEADING`` is the
    page's title."""

    status = 503
    HEADING = "The data cannot be read now"


class NeedsReimport(Unavailable):
    """The stored data predate this version (a table or column it reads is missing)."""

    HEADING = "The data need importing again"
    HOW_TO_FIX = ("The outcome database was imported by an earlier version and lacks what "
                  "this version reads; run `practicehub outcomes import` to import the data "
                  "again.")

    def __init__(self, message: str = HOW_TO_FIX, located: Iterable[Located] = ()) -> None:
        super().__init__(message, located)
