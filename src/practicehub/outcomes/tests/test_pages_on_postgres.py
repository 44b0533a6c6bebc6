"""The outcome pages and API read a PostgreSQL outcome store (``OUTCOMES_DATABASE_URL``) as they
read the DuckDB file: the same figures from the same import, the same empty state, the same 503
for data an older version imported, with no DuckDB file in the data folder.

These run in CI's PostgreSQL pass (``.ci/run`` sets ``DATABASE_URL``): the same synthetic data are
imported into a DuckDB file and into a throw-away schema of the test database. The refusals of a
bad URL run everywhere.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection
from django.test import Client

from practicehub.outcomes.data import postgres_store, store, synthetic
from practicehub.outcomes.engine import facts
from practicehub.outcomes.services import access, dashboard_data, dashboard_warming, reading
from practicehub.outcomes.tests.test_backends import needs_postgres
from practicehub.outcomes.tests.test_quality import _flawed
from practicehub.testing.personas import Personas

PAGES = ("/outcomes/", "/outcomes/disparities/", "/outcomes/long-stays/",
         "/outcomes/time-to-permanency/", "/outcomes/data-quality/")
API = (("/api/v1/outcomes/measures", {"period": "23A23B", "by": "county"}),
       ("/api/v1/outcomes/measures", {"period": "2021-01-01:2021-12-31",
                                      "by": "race_ethnicity,sex"}),
       ("/api/v1/outcomes/counts", {"period": "23A23B", "by": "county"}),
       ("/api/v1/outcomes/time-to-permanency", {"period": "22A22B", "by": "sex"}))
FLAWED_PERIOD = {"county": "06019", "period": "custom", "start": "2023-01-01",
                 "end": "2023-12-31"}
HOW_TO_FIX = "import the data again (practicehub outcomes import)"
# The forms' and htmx's CSRF token differs per response; nothing else on a page may.
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


@dataclass(frozen=True)
class Stores:
    source: Path
    duckdb_dir: Path  # OUTCOMES_DIR holding the DuckDB import
    url: str  # the PostgreSQL schema holding the same import


def postgres_url(schema: str) -> str:
    """A schema of the test database (the URL without a password: CI's server trusts)."""
    db = connection.settings_dict
    return (f"postgresql://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}?schema={schema}")


def drop_schema(url: str) -> None:
    _, schema = postgres_store.split_url(url)
    with postgres_store.open_reader(url) as con:
        con.execute("SET default_transaction_read_only = off")
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def imported_twice(source: Path, folder: Path, name: str) -> Stores:
    """``source`` imported into a DuckDB file and into a new schema of the test database."""
    store.import_directory(source, folder / "duckdb" / store.DATABASE_NAME)
    url = postgres_url(f"outcomes_{name}_{uuid.uuid4().hex[:10]}")
    postgres_store.import_directory(source, url)
    return Stores(source, folder / "duckdb", url)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, django_db_setup: None,
           django_db_blocker: Any) -> Iterator[Stores]:
    folder = tmp_path_factory.mktemp("stores")
    synthetic.generate(folder / "source", 2000, seed=11)
    with django_db_blocker.unblock():
        imported = imported_twice(folder / "source", folder, "pages")
    yield imported
    drop_schema(imported.url)
    reading.close_readers()  # else the test database cannot be dropped at the end


@pytest.fixture(scope="module")
def flawed(tmp_path_factory: pytest.TempPathFactory, django_db_setup: None,
           django_db_blocker: Any) -> Iterator[Stores]:
    """The hand-worked flawed data of test_quality: records flagged and set aside in Fresno,
    Alameda and Los Angeles."""
    folder = tmp_path_factory.mktemp("flawed")
    with django_db_blocker.unblock():
        imported = imported_twice(_flawed(folder / "source"), folder, "flawed")
    yield imported
    drop_schema(imported.url)
    reading.close_readers()


@pytest.fixture(autouse=True)
def _no_kept_connections() -> Iterator[None]:
    """Each test's kept connections closed after it: a schema it made can be dropped, and the
    test database at the end of the run."""
    yield
    reading.close_readers()


def use_duckdb(settings: Any, stores: Stores) -> None:
    settings.OUTCOMES_DIR, settings.OUTCOMES_DATABASE_URL = stores.duckdb_dir, ""


def use_postgres(settings: Any, url: str, empty_folder: Path) -> None:
    """The pages read ``url``; the data folder holds no DuckDB file at all."""
    assert not (empty_folder / store.DATABASE_NAME).exists()
    settings.OUTCOMES_DIR, settings.OUTCOMES_DATABASE_URL = empty_folder, url


def page(client: Client, path: str, **query: str) -> str:
    response = client.get(path, query)
    assert response.status_code == 200, (path, response.status_code)
    return CSRF.sub("", response.content.decode())


def same_numbers(left: Any, right: Any) -> bool:
    """Equal JSON, floats within 1e-9 (the backends' sums of doubles may differ in the last
    digits; docs/outcomes.md, Other backends)."""
    if isinstance(left, float) and isinstance(right, float):
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_numbers(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same_numbers, left, right))
    return bool(left == right)


@needs_postgres
@pytest.mark.parametrize("path", PAGES)
def test_each_dashboard_shows_the_duckdb_figures_from_postgresql_without_a_duckdb_file(
    path: str, stores: Stores, personas: Personas, login_as: Any, settings: Any,
    tmp_path: Path,
) -> None:
    client = login_as(personas.state_admin)
    use_duckdb(settings, stores)
    on_duckdb = page(client, path, period="23A23B")
    use_postgres(settings, stores.url, tmp_path)
    on_postgres = page(client, path, period="23A23B")
    assert "No outcome data imported yet" not in on_postgres
    assert on_postgres == on_duckdb
    # A county's page too, with its own numbers.
    fresno = page(client, path, county="06019")
    use_duckdb(settings, stores)
    assert fresno == page(client, path, county="06019")


@needs_postgres
def test_the_overview_from_postgresql_shows_figures_and_small_cells_suppressed(
    stores: Stores, personas: Personas, login_as: Any, settings: Any, tmp_path: Path,
) -> None:
    use_postgres(settings, stores.url, tmp_path)
    coach = page(login_as(personas.fresno.coach), "/outcomes/")
    assert "Fresno, 24A24B (2023-10-01 to 2024-09-30)" in coach
    assert "<td>suppressed</td>" in coach
    assert re.search(r"<td>\d+(\.\d+)?%</td>", coach), "a figure in a table"


@needs_postgres
@pytest.mark.parametrize(("url", "query"), API)
def test_the_api_answers_the_duckdb_rows_from_postgresql(
    url: str, query: dict[str, str], stores: Stores, personas: Personas, login_as: Any,
    settings: Any, tmp_path: Path,
) -> None:
    for person in (personas.fresno.evaluator, personas.state_admin, personas.fresno.coach):
        client = login_as(person)
        use_duckdb(settings, stores)
        on_duckdb = client.get(url, query)
        use_postgres(settings, stores.url, tmp_path)
        on_postgres = client.get(url, query)
        assert (on_duckdb.status_code, on_postgres.status_code) == (200, 200)
        rows = on_postgres.json()["rows"] if "rows" in on_postgres.json() else on_postgres.json()
        assert rows, "the import has rows for the period"
        assert same_numbers(on_postgres.json(), on_duckdb.json()), (person, url, query)


@needs_postgres
def test_the_import_command_fills_the_configured_store_and_prepares_its_figures(
    stores: Stores, settings: Any, tmp_path: Path, db: None,
) -> None:
    url = postgres_url(f"outcomes_cmd_{uuid.uuid4().hex[:10]}")
    use_postgres(settings, url, tmp_path)
    try:
        out = StringIO()
        call_command("outcomes", "import", "--data", str(stores.source), stdout=out)
        assert f"Imported into PostgreSQL schema {postgres_store.split_url(url)[1]}" \
            in out.getvalue()
        with dashboard_data.opened() as data:
            assert data is not None
            assert data.version.startswith("postgres:")
            # Warmed by the import: every process answers the first view from the cache.
            assert dashboard_data.as_of_date(data) is not None
        # compute, counts, … read the configured store when --data is left out.
        on_postgres, on_duckdb = StringIO(), StringIO()
        arguments = ("--period", "23A23B", "--by", "county", "--no-suppress")
        call_command("outcomes", "compute", *arguments, stdout=on_postgres)
        call_command("outcomes", "compute", "--data",
                     str(stores.duckdb_dir / store.DATABASE_NAME), *arguments, stdout=on_duckdb)
        assert on_postgres.getvalue() == on_duckdb.getvalue()
    finally:
        drop_schema(url)


@needs_postgres
def test_a_schema_without_an_import_says_no_outcome_data_imported_yet(
    personas: Personas, login_as: Any, settings: Any, tmp_path: Path,
) -> None:
    use_postgres(settings, postgres_url(f"outcomes_none_{uuid.uuid4().hex[:10]}"), tmp_path)
    client = login_as(personas.fresno.coach)
    for path in PAGES:
        text = page(client, path)
        assert "No outcome data imported yet" in text, path
    answer = client.get("/api/v1/outcomes/measures", {"period": "24A24B"})
    assert answer.status_code == 404
    assert answer.json()["detail"] == "No outcome data have been imported yet"


@pytest.fixture
def outdated(stores: Stores, settings: Any, tmp_path: Path) -> Iterator[str]:
    """A schema as an older practicehub left it: the contract tables, no version, no facts."""
    url = postgres_url(f"outcomes_old_{uuid.uuid4().hex[:10]}")
    _, schema = postgres_store.split_url(url)
    _, current = postgres_store.split_url(stores.url)
    with postgres_store.open_reader(url) as con:
        con.execute("SET default_transaction_read_only = off")
        con.execute(f"CREATE SCHEMA {schema}")
        con.execute(f"CREATE TABLE {schema}.episodes AS "  # noqa: S608
                    f"SELECT * FROM {current}.episodes")
    use_postgres(settings, url, tmp_path)
    yield schema
    drop_schema(url)


@needs_postgres
def test_a_schema_imported_by_an_older_version_answers_503_saying_to_import_again(
    outdated: str, personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    response = client.get("/outcomes/")
    assert response.status_code == 503
    assert f"the PostgreSQL schema {outdated} was imported by an older practicehub" \
        in response.content.decode()
    assert HOW_TO_FIX in response.content.decode()
    answer = client.get("/api/v1/outcomes/counts", {"period": "24A24B"})
    assert answer.status_code == 503
    assert answer.json()["detail"].endswith(HOW_TO_FIX)
    assert "practicehub_import" in answer.json()["detail"]


@needs_postgres
def test_a_schema_lacking_a_fact_table_answers_503_naming_it(
    outdated: str, personas: Personas, login_as: Any, settings: Any,
) -> None:
    with postgres_store.open_reader(settings.OUTCOMES_DATABASE_URL) as con:
        con.execute("SET default_transaction_read_only = off")
        con.execute(f"CREATE TABLE {outdated}.{postgres_store.IMPORT_TABLE} AS "
                    f"SELECT '{uuid.uuid4().hex}' AS version, now() AS imported_at")
    answer = login_as(personas.fresno.coach).get("/api/v1/outcomes/measures",
                                                 {"period": "24A24B"})
    assert answer.status_code == 503
    detail = answer.json()["detail"]
    # The schema holds episodes only, so it lacks every table the import derives, each named.
    derived = ", ".join(facts.STORED_FACTS)
    assert detail.startswith(f"the PostgreSQL schema {outdated} was imported by an older "
                             f"practicehub and lacks the derived tables {derived} ")
    assert detail.endswith(HOW_TO_FIX)


@needs_postgres
def test_warming_reads_the_postgresql_store(stores: Stores, db: None) -> None:
    with dashboard_data.opened(stores.url) as data:
        assert data is not None
        dashboard_warming.warm(data)
        assert dashboard_data.first_date_in_data(data) is not None


# ----------------------------------------------------------------------------- refusals


def _practicehub(tmp_path: Path, *arguments: str, **variables: str
                 ) -> subprocess.CompletedProcess[str]:
    import os

    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith("OUTCOMES_DATABASE_URL")}
    environment.update(PRACTICEHUB_DATA_DIR=str(tmp_path / "data"), **variables)
    return subprocess.run([sys.executable, "-m", "practicehub.cli", *arguments], env=environment,
                          capture_output=True, text=True, check=False, timeout=300)


def test_an_unknown_scheme_is_refused_naming_the_variable_and_not_the_password(
    tmp_path: Path,
) -> None:
    done = _practicehub(tmp_path, "check",
                        OUTCOMES_DATABASE_URL="mysql://county:s3cret@db.example/outcomes")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "practicehub: OUTCOMES_DATABASE_URL is a “mysql://” URL; use "
        "postgresql://USER@HOST:PORT/DATABASE?schema=NAME, or leave it empty for the DuckDB "
        "file in the data folder.")
    secret = tmp_path / "outcomes_url"
    secret.write_text("/srv/outcomes.duckdb\n", encoding="utf-8")
    from_file = _practicehub(tmp_path, "check", OUTCOMES_DATABASE_URL_FILE=str(secret))
    assert from_file.returncode == 1
    assert "OUTCOMES_DATABASE_URL is not a URL" in from_file.stderr


def test_a_bad_schema_name_is_refused_naming_the_variable(settings: Any, db: None) -> None:
    settings.OUTCOMES_DATABASE_URL = "postgresql://county@db.example/warehouse?schema=our-data"
    with pytest.raises(ImproperlyConfigured) as refused:
        access.outcome_store()
    assert str(refused.value).startswith(
        "OUTCOMES_DATABASE_URL: schema 'our-data': use letters, digits and underscores only")
    with pytest.raises(CommandError, match="OUTCOMES_DATABASE_URL: schema 'our-data'") as caught:
        call_command("outcomes", "compute", "--period", "23A23B", stdout=StringIO())
    assert caught.value.returncode == 2
    # `check`, and so `serve`, refuse it at start rather than on the first outcome page.
    with pytest.raises(SystemCheckError, match=r"\(outcomes.E001\) OUTCOMES_DATABASE_URL: schema"):
        call_command("check", stdout=StringIO(), stderr=StringIO())


@needs_postgres
def test_the_url_may_come_from_a_file_so_no_password_is_on_a_command_line(
    stores: Stores, tmp_path: Path, db: None,
) -> None:
    secret = tmp_path / "outcomes_url"
    secret.write_text(stores.url + "\n", encoding="utf-8")
    secret.chmod(0o600)
    done = _practicehub(tmp_path, "outcomes", "counts", "--period", "23A23B", "--tables",
                        "entries", "--no-suppress", OUTCOMES_DATABASE_URL_FILE=str(secret))
    assert done.returncode == 0, done.stderr
    on_duckdb = StringIO()
    call_command("outcomes", "counts", "--data", str(stores.duckdb_dir / store.DATABASE_NAME),
                 "--period", "23A23B", "--tables", "entries", "--no-suppress", stdout=on_duckdb)
    assert done.stdout == on_duckdb.getvalue()


@needs_postgres
def test_the_data_quality_report_flagged_rows_and_marks_are_the_same_from_postgresql(
    flawed: Stores, personas: Personas, login_as: Any, settings: Any, tmp_path: Path,
) -> None:
    client = login_as(personas.state_admin)
    download = "/outcomes/data-quality/flagged-rows/"
    use_duckdb(settings, flawed)
    on_duckdb = [page(client, "/outcomes/data-quality/", county="06019"),
                 page(client, "/outcomes/", **FLAWED_PERIOD),
                 client.get(download, {"format": "csv"}).content]
    use_postgres(settings, flawed.url, tmp_path)
    on_postgres = [page(client, "/outcomes/data-quality/", county="06019"),
                   page(client, "/outcomes/", **FLAWED_PERIOD),
                   client.get(download, {"format": "csv"}).content]
    assert on_postgres == on_duckdb
    report, overview, rows = on_postgres
    assert "Fresno: 3 flagged records." in report
    assert ">DQ</a>" in overview, "figures over a limit are marked"
    lines = rows.decode("utf-8-sig").splitlines()
    assert lines[0] == "File,Row,Line,Check,Column,Problem,County,Child"
    assert len(lines) > 3


@needs_postgres
def test_a_kept_connection_the_server_closed_is_replaced_without_an_error(
    stores: Stores, personas: Personas, login_as: Any, settings: Any, tmp_path: Path,
) -> None:
    use_postgres(settings, stores.url, tmp_path)
    client = login_as(personas.fresno.coach)
    before = page(client, "/outcomes/long-stays/")
    with dashboard_data.opened() as data:
        assert data is not None
        (kept,) = data.runner.fetch("SELECT pg_backend_pid() AS pid")
    # As a server restart or an idle timeout would: the session behind the kept connection ends.
    with postgres_store.open_reader(stores.url) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (kept["pid"],))
    assert page(client, "/outcomes/long-stays/") == before
