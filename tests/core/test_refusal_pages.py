"""A service's refusal on a page answers by its kind: 503 saying to import again for stored
data from an earlier version, Django's 404 and 403 for outside scope and forbidden."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from practicehub.accounts.models import User
from practicehub.core.errors import Forbidden, NeedsReimport, OutsideScope, Refused
from practicehub.core.middleware import RefusalMiddleware
from practicehub.testing.personas import Personas


def _middleware() -> RefusalMiddleware:
    return RefusalMiddleware(lambda request: HttpResponse())


def _request(path: str, user: User) -> HttpRequest:
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_data_from_an_earlier_version_answer_503_saying_what_to_run(personas: Personas) -> None:
    page = _middleware().process_exception(_request("/outcomes/", personas.fresno.lead),
                                           NeedsReimport())
    assert page is not None
    assert page.status_code == 503
    assert "run `practicehub outcomes import`" in page.content.decode()
    api = _middleware().process_exception(_request("/api/v1/outcomes/measures",
                                                   personas.fresno.lead), NeedsReimport())
    assert api is not None
    assert api.status_code == 503
    assert "practicehub outcomes import" in api.content.decode()


def test_outside_scope_and_forbidden_become_djangos_404_and_403(personas: Personas) -> None:
    request = _request("/assessments/1/", personas.fresno.lead)
    with pytest.raises(Http404, match="No such administration"):
        _middleware().process_exception(request, OutsideScope("No such administration"))
    with pytest.raises(PermissionDenied, match="may not"):
        _middleware().process_exception(request, Forbidden("You may not change this."))


def test_other_errors_are_left_to_the_view_and_django(personas: Personas) -> None:
    request = _request("/", personas.fresno.lead)
    assert _middleware().process_exception(request, Refused("bad input")) is None
    assert _middleware().process_exception(request, RuntimeError("bug")) is None
