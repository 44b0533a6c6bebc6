"""The server log says what went wrong, not what is expected (issue 14): a refused request is one
line without a traceback, and no page makes the browser ask for a missing icon."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from practicehub.testing.personas import Personas


def test_a_403_is_one_line_in_the_log(personas: Personas, login_as: Any,
                                       caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = login_as(personas.fresno.practitioner).get(reverse("audit:events"))
    assert response.status_code == 403
    refusals = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert len(refusals) == 1
    assert refusals[0].exc_info is None
    assert "Traceback" not in caplog.text
    assert "/audit/" in refusals[0].getMessage()


def test_every_page_links_the_site_icon_and_the_icon_is_there(
        personas: Personas, login_as: Any) -> None:
    page = login_as(personas.fresno.coach).get(reverse("core:home")).content.decode()
    assert '<link rel="icon" href="/static/core/favicon.svg"' in page
    assert finders.find("core/favicon.svg")


def test_the_browsers_own_favicon_request_is_answered_not_logged_as_missing(
        client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("core/favicon.svg")
    assert "Not Found" not in caplog.text
