"""The reports read a PostgreSQL outcome store (``OUTCOMES_DATABASE_URL``) as they read the DuckDB
file: a county's outcome section holds the same tables from the same import, with no DuckDB
file. CI's PostgreSQL pass runs it (``.ci/run``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from practicehub.accounts.models import OrgNode
from practicehub.outcomes.data import synthetic
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.services import reading
from practicehub.outcomes.tests.test_backends import needs_postgres
from practicehub.outcomes.tests.test_pages_on_postgres import (
    Stores,
    drop_schema,
    imported_twice,
    use_duckdb,
    use_postgres,
)
from practicehub.reports.services import document
from practicehub.reports.services.sections import outcomes as outcomes_section
from practicehub.testing.personas import Personas


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, django_db_setup: None,
           django_db_blocker: Any) -> Iterator[Stores]:
    folder = tmp_path_factory.mktemp("reports")
    synthetic.generate(folder / "source", 2000, seed=11)
    with django_db_blocker.unblock():
        imported = imported_twice(folder / "source", folder, "reports")
    yield imported
    drop_schema(imported.url)
    reading.close_readers()


def _tables(section: document.Section) -> list[document.Table]:
    return [block.table if isinstance(block, document.Chart) else block
            for block in section.blocks]


@needs_postgres
def test_a_countys_outcome_section_is_the_same_from_postgresql(
    stores: Stores, personas: Personas, settings: Any, tmp_path: Path,
) -> None:
    fresno = OrgNode.objects.get(fips="06019")
    period = parse_period("23A23B")
    use_duckdb(settings, stores)
    on_duckdb = outcomes_section.outcome_section(fresno, personas.fresno.evaluator, period)
    use_postgres(settings, stores.url, tmp_path)
    on_postgres = outcomes_section.outcome_section(fresno, personas.fresno.evaluator, period)
    reading.close_readers()
    assert _tables(on_postgres) == _tables(on_duckdb)
    assert on_postgres.intro == on_duckdb.intro
    measures = _tables(on_postgres)[0]
    assert measures.caption == "Outcome measures"
    assert all(cell != "suppressed" for row in measures.rows for cell in row), "unsuppressed"
    assert any(re.fullmatch(r"\d+\.\d%", cell) for row in measures.rows for cell in row)
