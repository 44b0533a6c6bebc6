"""The fidelity-and-outcomes page for the accessibility walk. Its outcome data come from the
synthetic import that tests/browser/conftest.py points OUTCOMES_DIR at; the observation from the
fidelity pages' helper, so fidelity and outcome columns both have something to show."""

from __future__ import annotations

from typing import Any

from practicehub.accounts.models import User
from tests.browser.pages import Arguments
from tests.browser.pages_fidelity import PAGES as FIDELITY_PAGES


def _with_observations(user: User) -> dict[str, Any]:
    # The dashboard's arguments make the tool and a submitted observation on first use.
    return FIDELITY_PAGES["fidelity:dashboard"](user)


PAGES: dict[str, Arguments] = {
    "fidelity:outcomes": _with_observations,
}

NOT_PAGES: dict[str, str] = {}
