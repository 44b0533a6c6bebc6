"""GET /api/v1/outcomes/counts: stock and flow rows, scoped to the caller's counties and
suppressed as the measures are."""

from __future__ import annotations

from typing import Any

import pytest

from practicehub.outcomes.tests.test_dashboards_services import (  # noqa: F401  (fixtures)
    imported_outcomes,
    outcomes_dir,
)
from practicehub.testing.personas import Personas

pytestmark = pytest.mark.usefixtures("outcomes_dir")

COUNTS_URL = "/api/v1/outcomes/counts"
HUMBOLDT, FRESNO = "06023", "06019"


def test_a_fresno_coach_gets_fresno_and_its_total_only_and_404_for_humboldt(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    response = client.get(COUNTS_URL, {"period": "24A24B", "by": "county",
                                       "tables": "in_care,exits"})
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2024-09-30"
    assert body["suppressed"] is True
    assert {row["county"] for row in body["rows"]} == {FRESNO, "total"}
    assert {row["table"] for row in body["rows"]} == {"in_care", "exits"}
    assert client.get(COUNTS_URL, {"period": "24A24B", "county": HUMBOLDT}).status_code == 404


def test_small_cells_are_suppressed_except_for_the_evaluator(
    personas: Personas, login_as: Any,
) -> None:
    arguments = {"period": "24A24B", "by": "race_ethnicity", "tables": "entries"}
    coach = login_as(personas.fresno.coach).get(COUNTS_URL, arguments).json()
    hidden = [row for row in coach["rows"] if row["suppressed"]]
    assert hidden, "the small synthetic import has small cells"
    assert all(row["count"] is None and row["share"] is None for row in hidden)
    evaluator = login_as(personas.fresno.evaluator).get(COUNTS_URL, arguments).json()
    assert evaluator["suppressed"] is False
    assert not any(row["suppressed"] for row in evaluator["rows"])
    (total,) = [row for row in evaluator["rows"]
                if row["race_ethnicity"] == "total" and row["category"] == "total"]
    assert total["count"] > 0


def test_bad_input_is_named(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    bad_table = client.get(COUNTS_URL, {"period": "24A24B", "tables": "stock"})
    assert bad_table.status_code == 422
    assert "unknown table stock" in bad_table.json()["detail"]
    bad_date = client.get(COUNTS_URL, {"period": "24A24B", "date": "soon"})
    assert bad_date.status_code == 422
    assert "soon" in bad_date.json()["detail"]
