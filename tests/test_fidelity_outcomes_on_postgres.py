"""Fidelity beside outcomes (``/fidelity/outcomes/``) reads a PostgreSQL outcome store
(``OUTCOMES_DATABASE_URL``) as it reads the DuckDB file: the same figures per office and worker
from the same import, with no DuckDB file. CI's PostgreSQL pass runs it (``.ci/run``)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from practicehub.fidelity.tests.test_beside_outcomes import build_world
from practicehub.outcomes.data import postgres_store
from practicehub.outcomes.services import reading
from practicehub.outcomes.tests.test_backends import needs_postgres
from practicehub.outcomes.tests.test_pages_on_postgres import CSRF, drop_schema, postgres_url
from practicehub.testing.personas import Personas

URL = reverse("fidelity:outcomes")
PERIOD = {"period": "2024-01-01:2024-12-31"}


def _figures(response: Any) -> list[tuple[str, str, int | None, int | None, float | None]]:
    """Per office and worker and measure: the counts and the value (to 9 decimals: the backends'
    sums of doubles may differ in the last digits)."""
    result = response.context["result"]
    return [(row.key, outcome.measure, outcome.numerator, outcome.denominator,
             None if outcome.value is None else round(outcome.value, 9))
            for row in (*result.offices, *result.workers) for outcome in row.outcomes]


@needs_postgres
def test_the_page_shows_the_duckdb_figures_from_postgresql_without_a_duckdb_file(
    personas: Personas, login_as: Any, settings: Any, tmp_path: Path,
) -> None:
    build_world(personas, settings, tmp_path)
    client: Client = login_as(personas.fresno.evaluator)
    on_duckdb = client.get(URL, PERIOD)
    url = postgres_url(f"outcomes_fidelity_{uuid.uuid4().hex[:10]}")
    try:
        postgres_store.import_directory(tmp_path / "data", url)
        settings.OUTCOMES_DIR, settings.OUTCOMES_DATABASE_URL = tmp_path / "no-duckdb", url
        on_postgres = client.get(URL, PERIOD)
        assert _figures(on_postgres) == _figures(on_duckdb)
        assert any(numerator for _, _, numerator, _, _ in _figures(on_postgres))
        assert "fresno-central" in {key for key, *_ in _figures(on_postgres)}
        assert CSRF.sub("", on_postgres.content.decode()) == \
            CSRF.sub("", on_duckdb.content.decode())
    finally:
        drop_schema(url)
        reading.close_readers()
