"""The observation list answers a page of observations with their ratings in a fixed number of
queries, however many observations the page holds."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def _listed(client: Any) -> tuple[list[dict[str, Any]], int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/fidelity/observations")
    assert response.status_code == 200
    return response.json(), len(queries.captured_queries)


def test_listing_more_observations_takes_no_more_queries(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    coach, worker = personas.fresno.coach, personas.fresno.practitioner
    for day in (3, 4):
        observe(worker, coach, [3, 2, 3, 1, 3], on=date(2025, 3, day))
    client = login_as(coach)
    few, few_queries = _listed(client)
    for day in range(5, 17):
        observe(worker, coach, [3, 3, 3, 1, 2], on=date(2025, 3, day))
    many, many_queries = _listed(client)
    assert (len(few), len(many)) == (2, 14)
    assert all(len(item["ratings"]) == 5 for item in many)
    assert list(many[0]["ratings"].values()) == [3, 3, 3, 1, 2]  # the newest, in model order
    assert many_queries == few_queries
