"""An import never silently loses stored rows (issue 9, fault 3): a required table with no rows is
refused, an absent optional table keeps the earlier import's rows unless ``--replace-all``, the
summary gives each table's rows before and after, and county codes must be known."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.accounts.models import NodeKind, OrgNode
from practicehub.outcomes.engine import counties
from practicehub.outcomes.tests.builders import (
    Row,
    child,
    episode,
    placement,
    population,
    write_data,
    write_table,
)


def _assignment(episode_id: str, worker: str, start: str) -> Row:
    return {"episode_id": episode_id, "worker_id": worker, "office": "north",
            "start_date": start, "end_date": ""}


def _data(directory: Path, *, placements: int = 2, assignments: bool = True,
          county: str = "06019") -> Path:
    """Two children in care since 2023; ``placements`` placements of the first episode."""
    tables = {
        "children": [child("C1"), child("C2")],
        "episodes": [episode("E1", "C1", "2023-02-01", county=county),
                     episode("E2", "C2", "2023-03-01")],
        "placements": [placement("E1", f"2023-02-{day:02d}") for day in range(1, placements + 1)],
        "populations": [population("06019", 2023, "white", 5, 1000)],
    }
    if assignments:
        tables["assignments"] = [_assignment("E1", "w1", "2023-02-01"),
                                 _assignment("E1", "w2", "2023-04-01"),
                                 _assignment("E2", "w1", "2023-03-01")]
    return write_data(directory, **tables)


def _import(data: Path, database: Path | str, *extra: str) -> str:
    out = io.StringIO()
    call_command("outcomes", "import", "--data", str(data), "--into", str(database), *extra,
                 stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _refused(data: Path, database: Path | str, *extra: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("outcomes", "import", "--data", str(data), "--into", str(database),
                     *extra, stdout=io.StringIO(), stderr=err)
    assert failure.value.returncode == 1
    return err.getvalue()


def _rows(database: Path, table: str) -> int | None:
    with duckdb.connect(str(database), read_only=True) as con:
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        if table not in tables:
            return None
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
    return int(row[0]) if row else 0


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A store holding the earlier import: 2 placements and 3 assignments."""
    target = tmp_path / "store" / "outcomes.duckdb"
    _import(_data(tmp_path / "first"), target)
    return target


def test_a_header_only_placements_file_is_refused_and_the_stored_placements_stay(
    database: Path, tmp_path: Path,
) -> None:
    data = _data(tmp_path / "next")
    write_table(data, "placements", [])
    err = _refused(data, database)
    assert ("placements.csv: required table placements has no rows (only a header): importing "
            "it would replace every stored placements row with none") in err
    assert "Data valid" not in err
    assert _rows(database, "placements") == 2


def test_every_required_table_with_no_rows_is_named(database: Path, tmp_path: Path) -> None:
    data = write_data(tmp_path / "empty")
    err = _refused(data, database)
    for table in ("children", "episodes", "placements", "population"):
        assert f"{table}.csv: required table {table} has no rows" in err
    # Maltreatment reports are not required to have rows (§1): many extracts hold none.
    assert "maltreatment_reports.csv: required table" not in err


def test_the_summary_gives_each_tables_rows_before_and_after(
    database: Path, tmp_path: Path,
) -> None:
    out = _import(_data(tmp_path / "next", placements=3), database)
    assert "Rows per table (before → after):" in out
    assert "  placements: 2 → 3\n" in out
    assert "  children: 2 → 2\n" in out
    assert "  maltreatment_reports: 0 → 0\n" in out
    assert "  assignments: 3 → 3\n" in out


def test_a_first_import_says_no_table_was_stored_before(tmp_path: Path) -> None:
    out = _import(_data(tmp_path / "data"), tmp_path / "new.duckdb")
    assert "  placements: none → 2\n" in out


def test_an_absent_assignments_file_keeps_the_earlier_assignments_and_says_so(
    database: Path, tmp_path: Path,
) -> None:
    out = _import(_data(tmp_path / "next", placements=3, assignments=False), database)
    assert ("  assignments: 3 → 3 (kept from the earlier import: no assignments file given; "
            "--replace-all empties it)") in out
    assert _rows(database, "assignments") == 3
    assert _rows(database, "placements") == 3


def test_replace_all_empties_an_absent_table_and_says_so(database: Path, tmp_path: Path) -> None:
    out = _import(_data(tmp_path / "next", assignments=False), database, "--replace-all")
    assert ("  assignments: 3 → none (emptied by --replace-all: no assignments file given)"
            in out)
    assert _rows(database, "assignments") is None


def test_kept_assignments_must_still_name_an_episode_of_the_new_data(
    database: Path, tmp_path: Path,
) -> None:
    data = write_data(tmp_path / "next", children=[child("C2")],
                      episodes=[episode("E2", "C2", "2023-03-01")],
                      placements=[placement("E2", "2023-03-01")],
                      populations=[population("06019", 2023, "white", 5, 1000)])
    err = _refused(data, database)
    assert ("assignments (kept from the earlier import), row 1, column episode_id: episode_id "
            "'E1' has no row in episodes.csv") in err
    assert _rows(database, "assignments") == 3
    assert "assignments: 3 → none" in _import(data, database, "--replace-all")


@pytest.mark.parametrize("code", ["99999", "48201", "06000", "6019", " 06019"])
def test_a_fips_style_county_outside_california_and_the_tree_is_refused(
    db: None, database: Path, tmp_path: Path, code: str,
) -> None:
    err = _refused(_data(tmp_path / "next", county=code), database)
    assert (f"episodes.csv, row 1 (line 2), column county: unknown county code '{code}' "
            "(expected a county of California (FIPS 06001..06115) or a code of the "
            "organisation tree)") in err
    assert _rows(database, "episodes") == 2


def test_every_california_county_and_the_agencys_own_codes_are_accepted(tmp_path: Path) -> None:
    assert len(counties.STATE_COUNTIES["CA"]) == 58
    assert counties.STATE_COUNTIES["CA"] == tuple(f"06{n:03d}" for n in range(1, 116, 2))
    for code in ("06115", "north-region"):
        _import(_data(tmp_path / code, county=code), tmp_path / f"{code}.duckdb")


def test_a_code_the_organisation_tree_knows_is_accepted(db: None, tmp_path: Path) -> None:
    state = OrgNode.objects.create(code="ca", name="California", kind=NodeKind.STATE)
    OrgNode.objects.create(code="88001", name="Tribal agency", kind=NodeKind.COUNTY,
                           parent=state)
    OrgNode.objects.create(code="out-of-state", name="Border county", kind=NodeKind.COUNTY,
                           parent=state, fips="41035")
    for code in ("88001", "41035"):
        out = _import(_data(tmp_path / code, county=code), tmp_path / f"{code}.duckdb")
        assert "Data valid" in out


def test_another_state_without_a_county_list_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(counties.STATE_VARIABLE, "TX")
    with pytest.raises(CommandError) as failure:
        _import(_data(tmp_path / "data"), tmp_path / "db.duckdb")
    assert failure.value.returncode == 2
    assert "PRACTICEHUB_OUTCOMES_STATE='TX': no county list for that state" in str(failure.value)


def test_with_no_state_configured_only_the_trees_counties_are_accepted(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(counties.STATE_VARIABLE, "none")
    err = _refused(_data(tmp_path / "data"), tmp_path / "db.duckdb")
    assert ("unknown county code '06019' (expected a code of the organisation tree)") in err


# The federal file ---------------------------------------------------------------------------------


def _federal(path: Path, *records: dict[str, str]) -> Path:
    from practicehub.outcomes.tests.test_federal_file import write_federal

    return write_federal(path, list(records))


def _federal_import(file: Path, database: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("outcomes", "import", "--from", "federal-file", "--data", str(file),
                 "--into", str(database), *extra, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_federal_file_with_no_records_is_refused_naming_it(tmp_path: Path) -> None:
    database = tmp_path / "db.duckdb"
    _federal_import(_federal(tmp_path / "first.csv", _record("A")), database)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("outcomes", "import", "--from", "federal-file", "--data",
                     str(_federal(tmp_path / "afcars.csv")), "--into", str(database),
                     stdout=io.StringIO(), stderr=err)
    assert "afcars.csv: the federal file has no records (only a header)" in err.getvalue()
    assert _rows(database, "children") == 1


def _record(number: str, **elements: str) -> dict[str, str]:
    from practicehub.outcomes.tests.test_federal_file import record

    return record(number, **elements)


def test_a_federal_county_outside_california_is_refused_by_row_and_column(
    db: None, tmp_path: Path,
) -> None:
    file = _federal(tmp_path / "afcars.csv", _record("A"), _record("B", FIPSCode="99999"),
                    _record("C", FIPSCode="8"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("outcomes", "import", "--from", "federal-file", "--data", str(file),
                     "--into", str(tmp_path / "db.duckdb"), stdout=io.StringIO(), stderr=err)
    assert ("afcars.csv, row 2 (line 3), column FIPSCode: unknown county code '99999' "
            "(expected a county of California (FIPS 06001..06115) or a code of the organisation "
            "tree or the archive's small-county mask 8)") in err.getvalue()
    assert "row 3" not in err.getvalue(), "the archive's mask for small counties is accepted"


def test_a_federal_import_without_population_keeps_the_earlier_population(
    tmp_path: Path,
) -> None:
    database = tmp_path / "db.duckdb"
    people = write_table(tmp_path, "population",
                         [population("06019", 2023, "white", age, 100) for age in range(3)])
    _federal_import(_federal(tmp_path / "first.csv", _record("A")), database,
                    "--population", str(people))
    out = _federal_import(_federal(tmp_path / "next.csv", _record("A"), _record("B")), database)
    assert "  children: 1 → 2\n" in out
    assert ("  population: 3 → 3 (kept from the earlier import: the source has no data for it; "
            "--replace-all empties it)") in out
    assert _rows(database, "population") == 3
    out = _federal_import(_federal(tmp_path / "next.csv", _record("A")), database,
                          "--replace-all")
    assert "  population: 3 → 0 (emptied by --replace-all: the source has no data for it)" in out


# PostgreSQL ---------------------------------------------------------------------------------------


def _pg_rows(schema: str, table: str) -> int | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND "
                       "table_name = %s", (schema, table))
        if cursor.fetchone() is None:
            return None
        cursor.execute(f"SELECT count(*) FROM {schema}.{table}")  # noqa: S608
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_postgresql_imports_refuse_keep_and_summarise_the_same_way(tmp_path: Path) -> None:
    import uuid

    from django.db import connection

    from practicehub.outcomes.tests.test_backends import ON_POSTGRES, _postgres_url

    if not ON_POSTGRES:
        pytest.skip("DATABASE_URL is not a PostgreSQL URL; CI's PostgreSQL pass (.ci/run) sets one")
    schema = f"outcomes_keep_{uuid.uuid4().hex[:8]}"
    url = _postgres_url(schema)
    try:
        out = _import(_data(tmp_path / "first"), url)
        assert "  placements: none → 2\n" in out
        header_only = _data(tmp_path / "header_only")
        write_table(header_only, "placements", [])
        assert "placements.csv: required table placements has no rows" in _refused(
            header_only, url)
        assert "unknown county code '99999'" in _refused(
            _data(tmp_path / "bad_county", county="99999"), url)
        assert _pg_rows(schema, "placements") == 2
        out = _import(_data(tmp_path / "next", placements=3, assignments=False),
                      url)
        assert "  placements: 2 → 3\n" in out
        assert "  assignments: 3 → 3 (kept from the earlier import" in out
        assert _pg_rows(schema, "assignments") == 3
        out = _import(_data(tmp_path / "last", assignments=False), url,
                      "--replace-all")
        assert "  assignments: 3 → none (emptied by --replace-all" in out
        assert _pg_rows(schema, "assignments") is None
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def test_a_refusal_caused_by_kept_rows_says_how_to_replace_them(
    database: Path, tmp_path: Path,
) -> None:
    data = write_data(tmp_path / "next", children=[child("C2")],
                      episodes=[episode("E2", "C2", "2023-03-01")],
                      placements=[placement("E2", "2023-03-01")],
                      populations=[population("06019", 2023, "white", 5, 1000)])
    assert ("kept from the earlier import and checked with the new tables; --replace-all empties "
            "them") in _refused(data, database)


def test_without_an_application_database_an_unknown_county_is_still_a_located_refusal(
    tmp_path: Path,
) -> None:
    import os
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "practicehub.cli", "outcomes", "import", "--data",
         str(_data(tmp_path / "data", county="99999")), "--into", str(tmp_path / "db.duckdb")],
        capture_output=True, text=True, check=False,
        env={**os.environ, "PRACTICEHUB_DATA_DIR": str(tmp_path / "never_migrated")},
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert ("episodes.csv, row 1 (line 2), column county: unknown county code '99999'"
            in completed.stderr)
