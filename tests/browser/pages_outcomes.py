"""Outcome dashboards for the accessibility walk; the outcome data come from the synthetic import
that tests/browser/conftest.py points OUTCOMES_DIR at."""

from __future__ import annotations

from typing import Any

from practicehub.accounts.models import User
from tests.browser.pages import Arguments


def _none(user: User) -> dict[str, Any]:
    return {}


PAGES: dict[str, Arguments] = {
    "outcomes:dashboard": _none,
    "outcomes:disparities": _none,
    "outcomes:long_stays": _none,
    "outcomes:time_to_permanency": _none,
    "outcomes:data_quality": _none,
}

NOT_PAGES: dict[str, str] = {
    "api:outcomes_measures": "JSON API",
    "api:outcomes_time_to_permanency": "JSON API",
    "api:outcomes_counts": "JSON API",
    "outcomes:data_quality_flagged": "a CSV or Excel download",
}
