"""An outcome database imported by an earlier version (a fact table missing), or one that does not
answer, answers 503 on the pages and in the API, saying what to do, instead of a 500."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import duckdb
import pytest

from practicehub.core.errors import NeedsReimport
from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.services import reading
from practicehub.outcomes.tests.test_dashboards_services import (  # noqa: F401  (fixtures)
    imported_outcomes,
    outcomes_dir,
)
from practicehub.testing.personas import Personas

HOW_TO_FIX = "import the data again (practicehub outcomes import)"


@pytest.fixture
def outdated_outcomes(tmp_path: Path, settings: Any) -> Any:
    """A small import whose placement_facts table an earlier version did not build."""
    synthetic.generate(tmp_path / "source", 200, seed=11)
    database = tmp_path / store.DATABASE_NAME
    store.import_directory(tmp_path / "source", database)
    with duckdb.connect(str(database)) as con:
        con.execute("DROP TABLE placement_facts")
    settings.OUTCOMES_DIR = tmp_path
    yield database
    reading.forget(database)


def test_the_outcomes_page_answers_503_saying_to_import_again(
    outdated_outcomes: Path, personas: Personas, login_as: Any,
) -> None:
    response = login_as(personas.fresno.coach).get("/outcomes/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "lacks the derived tables placement_facts" in page
    assert HOW_TO_FIX in page


def test_the_outcomes_api_answers_503_with_the_message_as_detail(
    outdated_outcomes: Path, personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    for url in ("/api/v1/outcomes/measures", "/api/v1/outcomes/counts",
                "/api/v1/outcomes/time-to-permanency"):
        response = client.get(url, {"period": "24A24B"})
        assert response.status_code == 503, url
        detail = response.json()["detail"]
        assert response.json() == {"detail": detail}
        assert detail.startswith(f"{outdated_outcomes} was imported by an older practicehub")
        assert "placement_facts" in detail
        assert detail.endswith(HOW_TO_FIX)


@pytest.fixture
def unreachable_store(settings: Any) -> Any:
    """OUTCOMES_DATABASE_URL naming a port where no server listens (with a password)."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    settings.OUTCOMES_DATABASE_URL = (
        f"postgresql://county:s3cret-word@127.0.0.1:{port}/warehouse?schema=outcomes")
    yield port
    reading.close_readers()


def test_an_outcome_database_that_does_not_answer_is_a_503_naming_it_not_its_password(
    unreachable_store: int, personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.evaluator)
    where = f"The outcome database 127.0.0.1:{unreachable_store}/warehouse (schema outcomes) "
    for url in ("/outcomes/", "/outcomes/disparities/", "/fidelity/outcomes/"):
        response = client.get(url)
        assert response.status_code == 503, url
        page = response.content.decode()
        assert "<h1>Outcome data cannot be reached</h1>" in page
        assert where + "does not answer" in page
        assert "OUTCOMES_DATABASE_URL" in page
        assert "s3cret-word" not in page
    response = client.get("/api/v1/outcomes/measures", {"period": "24A24B"})
    assert response.status_code == 503
    detail = response.json()["detail"]
    # The server's reason, then its hint, once each (a closed port refuses the connection).
    assert detail.startswith(where + "does not answer: Connection refused. Is the server "), detail
    assert "?." not in detail
    assert "s3cret-word" not in detail


def test_an_outdated_database_is_a_reimport_refusal_keeping_its_message(
    outdated_outcomes: Path,
) -> None:
    with pytest.raises(NeedsReimport, match="lacks the derived tables placement_facts") as caught:
        store.open_database(outdated_outcomes)
    assert isinstance(caught.value, store.OutdatedDatabaseError)
    assert caught.value.status == 503


@pytest.mark.usefixtures("outcomes_dir")
def test_a_bad_period_is_refused_naming_the_parameter(personas: Personas, login_as: Any) -> None:
    response = login_as(personas.fresno.coach).get("/api/v1/outcomes/measures",
                                                   {"period": "next year"})
    assert response.status_code == 422
    body = response.json()
    assert "next year" in body["detail"]
    assert [(p["field"], p["message"]) for p in body["problems"]] == [("period", body["detail"])]


def test_the_openapi_document_describes_a_row_and_its_dimension_fields(
    personas: Personas, login_as: Any,
) -> None:
    document = login_as(personas.fresno.coach).get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    rows = schemas["MeasureRowOut"]
    assert {"measure", "numerator", "denominator", "value", "ci_low", "ci_high",
            "suppressed", "data_quality"} <= set(rows["properties"])
    assert rows["additionalProperties"] is True
    assert "per `by` dimension" in rows["description"]
    assert {"table", "category", "count", "share"} <= set(schemas["CountRowOut"]["properties"])
    measures = document["paths"]["/api/v1/outcomes/measures"]["get"]["responses"]
    assert measures["503"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
