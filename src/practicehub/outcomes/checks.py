"""System checks of the outcome settings, so ``practicehub check`` and ``serve`` refuse a bad
``OUTCOMES_DATABASE_URL`` at start rather than on the first outcome page (settings.py refuses an
unknown scheme even earlier)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured


def outcome_store_check(**_: Any) -> list[CheckMessage]:
    from practicehub.outcomes.services.access import outcome_store

    try:
        outcome_store()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="outcomes.E001")]
    return []
