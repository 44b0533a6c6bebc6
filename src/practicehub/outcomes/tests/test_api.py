"""The outcomes API: the §6 rows as JSON, scoped to the caller's counties and suppressed."""

from __future__ import annotations

from typing import Any

import pytest

from practicehub.outcomes.tests.test_dashboards_services import (  # noqa: F401  (fixtures)
    imported_outcomes,
    outcomes_dir,
)
from practicehub.testing.personas import Personas

pytestmark = pytest.mark.usefixtures("outcomes_dir")

MEASURES_URL = "/api/v1/outcomes/measures"
CURVES_URL = "/api/v1/outcomes/time-to-permanency"
HUMBOLDT, FRESNO = "06023", "06019"


def _counties(body: dict[str, Any]) -> set[str | None]:
    return {row["county"] for row in body["rows"]}


def test_a_fresno_coach_gets_fresno_rows_only_and_404_for_humboldt(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    response = client.get(MEASURES_URL, {"period": "24A24B", "by": "county",
                                         "measures": "permanency_12m_entries,reentry_12m"})
    assert response.status_code == 200
    body = response.json()
    assert body["period_start"] == "2023-10-01"
    assert body["suppressed"] is True
    assert _counties(body) == {FRESNO}
    assert {row["measure"] for row in body["rows"]} == {"permanency_12m_entries", "reentry_12m"}
    assert client.get(MEASURES_URL, {"period": "24A24B", "county": HUMBOLDT}).status_code == 404
    assert client.get(CURVES_URL, {"period": "24A24B", "county": HUMBOLDT}).status_code == 404


def test_small_cells_are_suppressed_except_for_the_evaluator(
    personas: Personas, login_as: Any,
) -> None:
    arguments = {"period": "24A24B", "by": "county,race_ethnicity",
                 "measures": "permanency_12m_entries"}
    coach = login_as(personas.fresno.coach).get(MEASURES_URL, arguments).json()
    hidden = [row for row in coach["rows"] if row["suppressed"]]
    assert hidden, "the small synthetic import has small cells"
    assert all(row["numerator"] is None and row["value"] is None for row in hidden)
    evaluator = login_as(personas.fresno.evaluator).get(MEASURES_URL, arguments).json()
    assert evaluator["suppressed"] is False
    assert not any(row["suppressed"] for row in evaluator["rows"])
    assert sum(row["denominator"] for row in evaluator["rows"]) > 0


def test_a_state_administrator_may_ask_for_any_county(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.state_admin)
    arguments = {"period": "24A24B", "by": "county", "measures": "in_care_long_term_24m"}
    statewide = client.get(MEASURES_URL, arguments).json()
    assert len(_counties(statewide)) > 2
    picked = client.get(MEASURES_URL, {**arguments, "county": f"{HUMBOLDT},{FRESNO}"}).json()
    assert FRESNO in _counties(picked)
    assert _counties(picked) <= {HUMBOLDT, FRESNO}


def test_bad_input_is_named(personas: Personas, login_as: Any) -> None:
    client = login_as(personas.fresno.coach)
    bad_period = client.get(MEASURES_URL, {"period": "next year"})
    assert bad_period.status_code == 422
    assert "next year" in bad_period.json()["detail"]
    bad_measure = client.get(MEASURES_URL, {"period": "24A24B", "measures": "happiness"})
    assert bad_measure.status_code == 422
    assert "unknown measure happiness" in bad_measure.json()["detail"]


def test_time_to_permanency_curves_come_back_per_group(
    personas: Personas, login_as: Any,
) -> None:
    curves = login_as(personas.fresno.evaluator).get(CURVES_URL, {"period": "24A24B"}).json()
    (total,) = curves
    assert total["groups"] == {}
    assert total["cohort"] > 0
    assert total["points"][0][0] == 0
    assert set(total["incidence"]).issubset({"12", "24", "36"})


def test_signed_out_callers_get_401(client: Any) -> None:
    assert client.get(MEASURES_URL, {"period": "24A24B"}).status_code == 401
