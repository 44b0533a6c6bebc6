"""The same measure code on other backends: PostgreSQL with data, PySpark SQL compiled.

The PostgreSQL tests run when ``DATABASE_URL`` is a PostgreSQL URL (CI's second pass, see
``.ci/run``): contract data go into a throw-away schema of the test database and every measure
must give DuckDB's rows exactly (values within 1e-9).
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.operations as ops
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from practicehub.outcomes.data import postgres_store, store, synthetic
from practicehub.outcomes.engine import computing, contract, facts
from practicehub.outcomes.engine.measures import MEASURES, MeasureParams
from practicehub.outcomes.engine.periods import Period, parse_period
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.engine.tables import ContractTables, OutcomeTables
from practicehub.outcomes.tests.builders import (
    child,
    episode,
    placement,
    population,
    report,
    roughen,
    write_data,
)

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="DATABASE_URL is not a PostgreSQL URL; CI's PostgreSQL pass (.ci/run) sets one",
)
# pytest-django creates the test database (which holds the throw-away schemas) only for tests
# marked as using it.
uses_test_database = pytest.mark.django_db
GROUPINGS: tuple[tuple[str, ...], ...] = ((), ("county", "race_ethnicity"), ("office",),
                                          ("age_band", "sex"))
SYNTHETIC_PERIODS = ("23A23B", "2021-01-01:2021-12-31")
HAND_BUILT_PERIOD = "2023-01-01:2023-12-31"


def hand_built(directory: Path) -> Path:
    """The edge cases of the measure tests in one directory: leap-day birthdays, trial home
    visits, reports on consecutive days, re-entry on the discharge day, a fatality, open stays;
    and v2's: a re-entry after a short stay, placements with a gap, an overlap, an empty end_date
    in the middle and a same-day placement, a report of the same incident, reports before and on
    the birth date."""
    return write_data(
        directory,
        children=[child("C1", "2008-02-29"), child("C2", "2010-06-15", race="black"),
                  child("C3", "2005-12-31", race="hispanic", sex="male"),
                  child("C4", "2022-11-30", race="asian"),
                  child("C5", "2016-03-01", race_white="yes", race_black="yes"),
                  child("C6", "2012-04-10"), child("C7", "2023-06-01", race="black")],
        episodes=[episode("E1", "C1", "2023-01-31", "2023-07-15", "reunification"),
                  episode("E2", "C1", "2023-07-15", "2024-02-29", "adoption", office="south"),
                  episode("E3", "C2", "2021-02-28", "2023-05-31", "guardianship",
                          county="06001"),
                  episode("E4", "C3", "2019-08-31", "", county="06001", office="east"),
                  episode("E5", "C4", "2023-03-31", "2023-04-05", "relative"),
                  episode("E6", "C5", "2020-12-31", "2023-11-30", "relative", office=""),
                  episode("E7", "C4", "2023-06-01", "", office="south"),
                  episode("E8", "C6", "2023-02-01", "2023-09-01", "reunification")],
        placements=[placement("E1", "2023-01-31"), placement("E1", "2023-03-01", "",
                                                              "trial_home_visit"),
                    placement("E2", "2023-07-15"), placement("E2", "2023-08-01"),
                    placement("E2", "2023-08-01", "", "runaway"),
                    placement("E3", "2021-02-28", "", "relative_foster"),
                    placement("E4", "2019-08-31", "", "group_home"),
                    placement("E6", "2020-12-31"), placement("E6", "2023-02-28"),
                    placement("E7", "2023-06-03"),
                    placement("E8", "2023-02-01", "2023-02-10"),
                    placement("E8", "2023-02-11", ""), placement("E8", "2023-03-01", "2023-03-10"),
                    placement("E8", "2023-03-05", "2023-04-20", "relative_foster"),
                    placement("E8", "2023-04-20", "2023-04-20"),
                    placement("E8", "2023-05-01", "", "group_home")],
        reports=[report("R1", "C1", "2023-03-01"), report("R2", "C1", "2023-03-02"),
                 report("R3", "C1", "2023-03-03", disposition="indicated"),
                 report("R4", "C2", "2023-01-10", fatality="yes", county="06001"),
                 report("R5", "C3", "2023-06-30", incident="2019-01-01", county=""),
                 report("R6", "C4", "2023-02-01"), report("R7", "C4", "2023-02-20"),
                 report("R8", "C5", "2023-12-31", disposition="unsubstantiated"),
                 report("R9", "C6", "2023-02-20", incident="2023-02-15"),
                 report("R10", "C6", "2023-03-25", incident="2023-02-15"),
                 report("R11", "C6", "2023-05-01", incident="2023-04-28"),
                 report("R12", "C7", "2023-05-01"), report("R13", "C7", "2023-06-01"),
                 report("R14", "C7", "2023-06-20")],
        populations=[population(county, 2023, race, age, 50 + age)
                     for county in ("06019", "06001")
                     for race in ("white", "black", "hispanic", "asian", "two_or_more")
                     for age in (0, 3, 8, 14, 17)],
    )


def postgres_backend(schema: str) -> Any:
    settings = connection.settings_dict
    return ibis.postgres.connect(
        host=settings["HOST"] or None, port=int(settings["PORT"] or 5432),
        user=settings["USER"] or None, password=settings["PASSWORD"] or None,
        database=settings["NAME"], schema=schema,
    )


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, store.DuckDBData]]:
    folder = tmp_path_factory.mktemp("backends")
    synthetic.generate(folder / "synthetic", 2000, 5)
    roughen(folder / "synthetic", 5)
    loaded = {"synthetic": store.load_directory(folder / "synthetic"),
              "hand_built": store.load_directory(hand_built(folder / "hand_built"))}
    yield loaded
    for data in loaded.values():
        data.close()


@pytest.fixture(scope="module")
def postgres(
    datasets: dict[str, store.DuckDBData], django_db_setup: None,
    django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, computing.IbisRunner]]:
    """Each data set in a throw-away schema of the test database, as a runner."""
    token = uuid.uuid4().hex[:12]
    with django_db_blocker.unblock():
        backends = {name: postgres_backend(f"outcomes_{name}_{token}") for name in datasets}
    for name, backend in backends.items():
        backend.raw_sql(f"CREATE SCHEMA outcomes_{name}_{token}").close()
        postgres_store.load_tables(datasets[name], backend, f"outcomes_{name}_{token}")
    yield {name: computing.IbisRunner(backend) for name, backend in backends.items()}
    for name, backend in backends.items():
        backend.raw_sql(f"DROP SCHEMA outcomes_{name}_{token} CASCADE").close()
        backend.disconnect()


def _same(left: ResultRow, right: ResultRow) -> bool:
    def close(a: float | None, b: float | None) -> bool:
        if a is None or b is None:
            return a is b
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)

    exact = (left.measure, left.groups, left.numerator, left.denominator)
    return exact == (right.measure, right.groups, right.numerator, right.denominator) and all(
        close(a, b) for a, b in ((left.value, right.value), (left.ci_low, right.ci_low),
                                 (left.ci_high, right.ci_high)))


def assert_same_rows(expected: list[ResultRow], got: list[ResultRow]) -> None:
    assert len(got) == len(expected)
    for want, have in zip(expected, got, strict=True):
        assert _same(want, have), (want, have)


def _compare(duck: store.DuckDBData, runner: computing.IbisRunner, period: Period,
             by: tuple[str, ...]) -> None:
    for measure_id in MEASURES:
        arguments: dict[str, Any] = {"by": by, "measures": [measure_id], "suppress": False}
        expected = computing.compute(duck, period, **arguments).rows
        assert_same_rows(expected, computing.compute(runner, period, **arguments).rows)


@needs_postgres
@uses_test_database
@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "-".join(by) or "total")
@pytest.mark.parametrize("period", SYNTHETIC_PERIODS)
def test_every_measure_gives_duckdbs_rows_on_postgres_for_synthetic_data(
    datasets: dict[str, store.DuckDBData], postgres: dict[str, computing.IbisRunner],
    period: str, by: tuple[str, ...],
) -> None:
    _compare(datasets["synthetic"], postgres["synthetic"], parse_period(period), by)


@needs_postgres
@uses_test_database
@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "-".join(by) or "total")
def test_every_measure_gives_duckdbs_rows_on_postgres_for_the_hand_built_cases(
    datasets: dict[str, store.DuckDBData], postgres: dict[str, computing.IbisRunner],
    by: tuple[str, ...],
) -> None:
    _compare(datasets["hand_built"], postgres["hand_built"], parse_period(HAND_BUILT_PERIOD), by)


@needs_postgres
@uses_test_database
@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "-".join(by) or "total")
def test_all_measures_in_one_query_give_duckdbs_rows_on_postgres(
    datasets: dict[str, store.DuckDBData], postgres: dict[str, computing.IbisRunner],
    by: tuple[str, ...],
) -> None:
    """The full set as computing runs it (one query per period), not one measure at a time."""
    for name, period in (("synthetic", "23A23B"), ("hand_built", HAND_BUILT_PERIOD)):
        arguments: dict[str, Any] = {"by": by, "suppress": False}
        expected = computing.compute(datasets[name], parse_period(period), **arguments).rows
        assert_same_rows(expected,
                         computing.compute(postgres[name], parse_period(period), **arguments).rows)


@needs_postgres
@uses_test_database
def test_the_postgres_comparison_is_not_vacuous(
    datasets: dict[str, store.DuckDBData], postgres: dict[str, computing.IbisRunner],
) -> None:
    rows = computing.compute(postgres["synthetic"], parse_period("23A23B"), by=("race_ethnicity",),
                          suppress=False).rows
    sums: dict[str, int] = {}
    for row in rows:
        sums[row.measure] = sums.get(row.measure, 0) + (row.numerator or 0)
    assert set(sums) == set(MEASURES)
    assert all(sums.values()), sums


def test_every_measure_compiles_to_spark_sql_over_the_contract_tables() -> None:
    params = MeasureParams.build(parse_period("23A23B"), ("county", "race_ethnicity"))
    for measure_id, spec in MEASURES.items():
        expr = spec.function(OutcomeTables.unbound(), params)
        read = {table.name for table in expr.op().find(ops.UnboundTable)}
        sql = computing.to_sql(expr, "pyspark")
        assert sql.lstrip().upper().startswith(("SELECT", "WITH")), measure_id
        assert read, measure_id
        assert read <= {*contract.TABLES_BY_NAME, *facts.STORED_FACTS}, measure_id
        for table in read:
            assert f"`{table}`" in sql, (measure_id, table)
        for column in (*params.by, "numerator", "denominator", "value"):
            assert f"`{column}`" in sql, (measure_id, column)


def test_the_fact_tables_compile_to_spark_sql_over_the_contract_tables() -> None:
    for name, statement in facts.create_statements(ContractTables.unbound(), "pyspark"):
        assert statement.startswith((f"CREATE TABLE {name} AS SELECT",
                                     f"CREATE TABLE {name} AS WITH")), name
        assert "`episode_facts`" not in statement


def _postgres_url(schema: str) -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    return (f"postgresql://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
            f"/{settings['NAME']}?schema={schema}")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_import_into_postgres_then_compute_there_gives_duckdbs_numbers(tmp_path: Path) -> None:
    data_dir = hand_built(tmp_path / "hand_built")
    url = _postgres_url(f"outcomes_cli_{uuid.uuid4().hex[:8]}")
    imported = StringIO()
    call_command("outcomes", "import", "--data", str(data_dir), "--into", url, stdout=imported)
    assert "Imported into PostgreSQL schema outcomes_cli_" in imported.getvalue()
    arguments = ["--period", HAND_BUILT_PERIOD, "--by", "county", "--no-suppress"]
    on_duckdb, on_postgres = StringIO(), StringIO()
    call_command("outcomes", "compute", "--data", str(data_dir), *arguments, stdout=on_duckdb)
    call_command("outcomes", "compute", "--data", url, *arguments, stdout=on_postgres)
    assert on_postgres.getvalue() == on_duckdb.getvalue()
    assert on_postgres.getvalue().count("\n") > len(MEASURES)

    (data_dir / "episodes.csv").write_text("episode_id,child_id\nE9,nobody\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("outcomes", "import", "--data", str(data_dir), "--into", url,
                     stdout=StringIO(), stderr=StringIO())
    after = StringIO()
    call_command("outcomes", "compute", "--data", url, *arguments, stdout=after)
    assert after.getvalue() == on_duckdb.getvalue(), "a failed import left the old tables"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {url.rsplit('=', 1)[1]} CASCADE")
