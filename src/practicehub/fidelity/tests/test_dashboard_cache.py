"""The dashboard's figures come from the shared cache until a submit or an amendment changes
them: the next view shows the new numbers, and a repeated view reads no ratings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.services.dashboards import Scope
from practicehub.fidelity.services.observations import amend
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def _figures(scope: Scope) -> list[tuple[str, int, int]]:
    """The figures of one view: each view builds its own scope (which reads the data version
    once), as the dashboard's does."""
    fresh = Scope(tool=scope.tool, node=scope.node, sees_people=scope.sees_people)
    return [(g.label, g.rated, g.proficient) for g in dashboards.by_period(fresh, "month")]


def test_a_submit_and_an_amendment_show_at_the_next_view_and_a_repeat_reads_no_ratings(
    personas: Personas, tool: ObservationTool, observe: Observe, settings: Any,
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    coach, worker = personas.fresno.coach, personas.fresno.practitioner
    scope = Scope(tool=tool, node=personas.fresno.county, sees_people=True)
    first = observe(worker, coach, [3, 3, 1, 1, 2], on=date(2025, 3, 5))
    assert _figures(scope) == [("2025-03", 5, 2)]

    with CaptureQueriesContext(connection) as repeat:
        assert _figures(scope) == [("2025-03", 5, 2)]
    assert not any("fidelity_rating" in query["sql"] for query in repeat.captured_queries)

    observe(worker, coach, [3, 3, 3, 3, 3], on=date(2025, 4, 2))
    assert _figures(scope) == [("2025-03", 5, 2), ("2025-04", 5, 5)]

    behaviors = list(tool.behaviors.order_by("order").values_list("id", flat=True))
    amend(first, coach, {behaviors[2]: ("rated", 3)}, "Scored from the wrong sheet.")
    assert _figures(scope) == [("2025-03", 5, 3), ("2025-04", 5, 5)]
