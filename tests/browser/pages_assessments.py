"""Assessment pages for the accessibility walk: a scored consensus administration, twice, at
the signed-in user's own site so the results page shows change, charts and suggestions."""

from __future__ import annotations

import datetime
from typing import Any

from practicehub.accounts.models import User
from practicehub.assessments.models import Administration
from practicehub.assessments.services import administrations
from practicehub.assessments.services.instruments import load_shipped_instruments
from tests.browser.pages_implementation import _admin, _site, a_plan, a_team


def an_administration(user: User) -> Administration:
    site = _site(user)
    found = Administration.objects.filter(node=site).order_by("-administered_on").first()
    if found is not None:
        return found
    instrument = {i.key: i for i in load_shipped_instruments()}["drivers-capacity"]
    team = a_team(user)
    a_plan(user)
    latest = None
    for day, value in ((datetime.date(2025, 9, 1), 1), (datetime.date(2026, 2, 1), 2)):
        latest = administrations.start_administration(
            _admin(), instrument=instrument, node=site, administered_on=day,
            method="consensus", team=team)
        scores = {item["code"]: value for s in instrument.spec["sections"]
                  for item in s["items"]} | {"fidelity": 0}
        administrations.record_scores(_admin(), latest, scores,
                                      {code: {"Pat Example": v} for code, v in scores.items()})
    assert latest is not None
    return latest


def _administration(user: User) -> dict[str, Any]:
    return {"pk": an_administration(user).pk}


def _instruments(user: User) -> dict[str, Any]:
    load_shipped_instruments()
    return {}


def _instrument(user: User) -> dict[str, Any]:
    load_shipped_instruments()
    return {"key": "system-capacity"}


PAGES = {
    "assessments:index": _instruments,
    "assessments:instrument": _instrument,
    "assessments:administration_create": _instruments,
    "assessments:administration": _administration,
    "assessments:scores": _administration,
}

NOT_PAGES = {
    "assessments:suggestion_add": "POST-only action; it opens the plan page",
    "assessments:export": "CSV or Excel download",
    "api:assessments_instruments": "JSON API",
    "api:assessments_administrations": "JSON API",
    "api:assessments_administration": "JSON API",
    "api:assessments_scores": "JSON API",
}
