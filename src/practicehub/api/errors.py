"""How the API answers a refusal, and the error answers each operation declares.

One handler per kind of refusal (``core.errors``): refused input answers 422 with its located
problems, forbidden 403, outside scope 404, outcome data that cannot be read now (a database that
does not answer, or data imported by an earlier version) 503. Every body has ``detail``, the
sentence a person reads; ``answers`` puts the same bodies in the OpenAPI document so a client
knows each error's shape before meeting it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError

from practicehub.core.errors import Forbidden, Located, OutsideScope, Refused, Unavailable


class ErrorOut(Schema):
    detail: str


class ProblemOut(Schema):
    message: str
    field: str | None = None
    line: int | None = None
    column: str | None = None
    source: str | None = None


class RefusalOut(Schema):
    """Refused input: ``detail`` as one sentence, ``problems`` each with where it is."""

    detail: str
    problems: list[ProblemOut]


class ChangeOut(Schema):
    field: str
    label: str
    saved: str
    yours: str


class StaleOut(Schema):
    """Someone saved the record since you read it (409); ``edit_version`` is the one now saved
    (null: the record is gone)."""

    detail: str
    edit_version: int | None
    changed: list[ChangeOut]


def answers(ok: Any, *, status: int = 200, records: bool = False, versioned: bool = False,
            stored_data: bool = False, takes_input: bool = True) -> dict[int, Any]:
    """An operation's ``response=``: its answer and every error it can give.

    ``records``: it reads records by scope (404); ``versioned``: an update naming the version it
    read (400, 409, 428); ``stored_data``: it reads the imported outcome data (503);
    ``takes_input``: it has parameters or a body that can be refused (422)."""
    found: dict[int, Any] = {status: ok, 401: ErrorOut, 403: ErrorOut}
    if records:
        found[404] = ErrorOut
    if takes_input:
        found[422] = RefusalOut
    if versioned:
        found |= {400: ErrorOut, 409: StaleOut, 428: ErrorOut}
    if stored_data:
        found[503] = ErrorOut
    return found


def _problem(problem: Located) -> dict[str, Any]:
    return {"message": problem.message, "field": problem.field, "line": problem.line,
            "column": problem.column, "source": problem.source}


def _field(location: tuple[Any, ...]) -> str:
    # ninja puts the part ("query", "body") and the parameter's name ("payload") first.
    parts = [str(part) for part in location[1:] if part != "payload"]
    return ".".join(parts) or str(location[0]) if location else ""


def _input_problems(error: ValidationError) -> list[Located]:
    return [Located(str(item.get("msg", "")), field=_field(tuple(item.get("loc", ()))))
            for item in error.errors]


def install(api: NinjaAPI) -> None:
    """Answer every refusal as its kind says."""

    def refused(request: HttpRequest, error: Refused) -> HttpResponse:
        body = {"detail": str(error), "problems": [_problem(p) for p in error.problems_found()]}
        return api.create_response(request, body, status=422)

    def plain(request: HttpRequest, error: Exception) -> HttpResponse:
        status = error.status if isinstance(error, Refused) else 403
        detail = str(error) or "Your roles do not allow this change."
        return api.create_response(request, {"detail": detail}, status=status)

    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        problems = _input_problems(error)
        detail = "; ".join(f"{p.field}: {p.message}" if p.field else p.message for p in problems)
        return refused(request, Refused(detail, problems))

    api.exception_handler(Refused)(refused)
    for kind in (Forbidden, OutsideScope, Unavailable, PermissionDenied):
        api.exception_handler(kind)(plain)
    api.exception_handler(ValidationError)(invalid)
