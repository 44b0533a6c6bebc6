"""Data quality (spec §1a): record-level problems are flagged per check, their children set
aside, the load goes on; the report counts them per county against the dictionary's limits."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.data.validation import Checks
from practicehub.outcomes.engine import computing
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.tests.builders import (
    child,
    episode,
    placement,
    population,
    report,
    write_data,
)

FRESNO, ALAMEDA, LOS_ANGELES = "06019", "06001", "06037"
HEADER = "check,county,flagged,denominator,rate,limit,over_limit"


def _flawed(directory: Path) -> Path:
    """Six children in three counties; every check but two has a flagged record (worked out by
    hand in the tests below)."""
    return write_data(
        directory,
        children=[child("C1"), child("C2", ""), child("C3", "2016-01-01"),
                  child("C4", "2023-06-01"), child("C5", "2014-01-01"), child("C6")],
        episodes=[
            episode("E1", "C1", "2023-01-01", "2023-03-01"),
            episode("E2", "C3", "2023-02-01", "2023-02-01"),  # same_day_exit
            episode("E3", "C4", "2023-01-01", "2023-02-01", county=ALAMEDA),  # born after both
            episode("E4", "C5", "2023-01-01", county=ALAMEDA),
            episode("E5", "C9", "2023-01-01", county=ALAMEDA),  # orphan: no child C9
            episode("E6", "C2", "2022-01-01", "2022-06-01") | {"discharge_reason": ""},
            episode("E7", "C6", "2023-01-01", county=LOS_ANGELES),
        ],
        placements=[placement("E1", "2023-01-01"),
                    placement("E4", "2022-12-01"),  # before its removal
                    placement("E99", "2023-01-01"),  # orphan
                    placement("E7", "2023-01-01")],
        reports=[report("R1", "C1", "2023-05-01"),
                 report("R2", "C8", "2023-05-01", county=ALAMEDA)],  # orphan
        populations=[population(county, 2023, "white", 5, 1000)
                     for county in (FRESNO, ALAMEDA, LOS_ANGELES)],
    )


def _report_rows(directory: Path | str, *args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("outcomes", "quality", "--data", str(directory), *args, stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0] == HEADER
    return list(csv.DictReader(io.StringIO(text)))


def _row(rows: list[dict[str, str]], check: str, county: str) -> tuple[str, ...]:
    (found,) = [row for row in rows if row["check"] == check and row["county"] == county]
    return (found["flagged"], found["denominator"], found["rate"], found["limit"],
            found["over_limit"])


def test_the_report_counts_each_check_per_county_and_for_all(tmp_path: Path) -> None:
    rows = _report_rows(_flawed(tmp_path / "data"))
    # One row per check and county (three counties) and one for all the data.
    assert len(rows) == 9 * 4
    assert {row["county"] for row in rows} == {FRESNO, ALAMEDA, LOS_ANGELES, "all"}
    # Episodes: Fresno E1 E2 E6, Alameda E3 E4 E5, Los Angeles E7; discharged: E1 E2 E6 | E3.
    assert _row(rows, "birth_after_removal", ALAMEDA) == ("1", "3", repr(1 / 3), "0.05", "true")
    assert _row(rows, "birth_after_removal", "all") == ("1", "7", repr(1 / 7), "0.05", "true")
    assert _row(rows, "birth_after_discharge", ALAMEDA) == ("1", "1", "1.0", "0.05", "true")
    assert _row(rows, "same_day_exit", FRESNO) == ("1", "3", repr(1 / 3), "0.05", "true")
    assert _row(rows, "same_day_exit", "all") == ("1", "4", "0.25", "0.05", "true")
    assert _row(rows, "discharge_before_removal", "all") == ("0", "4", "0.0", "0.05", "false")
    assert _row(rows, "missing_discharge_reason", FRESNO) == ("1", "3", repr(1 / 3), "0.1",
                                                              "true")
    # Children's counties: C1 C2 C3 Fresno, C4 C5 Alameda, C6 Los Angeles.
    assert _row(rows, "missing_birth_date", FRESNO) == ("1", "3", repr(1 / 3), "0.05", "true")
    assert _row(rows, "missing_birth_date", "all") == ("1", "6", repr(1 / 6), "0.05", "true")
    # Placements: Fresno E1's, Alameda E4's, Los Angeles E7's; the orphan only in all.
    assert _row(rows, "placement_outside_episode", ALAMEDA) == ("1", "1", "1.0", "0.05", "true")
    assert _row(rows, "placement_outside_episode", "all") == ("1", "4", "0.25", "0.05", "true")
    # Orphans: E5 and R2 in Alameda (3 episodes + 1 placement + 1 report), the placement in all.
    assert _row(rows, "orphan_reference", ALAMEDA) == ("2", "5", "0.4", "0.01", "true")
    assert _row(rows, "orphan_reference", "all") == ("3", "13", repr(3 / 13), "0.01", "true")
    assert _row(rows, "overlapping_episodes", "all") == ("0", "7", "0.0", "0.05", "false")
    assert all(row["flagged"] == "0" for row in rows if row["county"] == LOS_ANGELES)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _spoil(data: Path) -> set[str]:
    """Flaws of every kind in synthetic data; returns the children that must be set aside."""
    children = _csv_rows(data / "children.csv")
    episodes = _csv_rows(data / "episodes.csv")
    placements = _csv_rows(data / "placements.csv")
    reports = _csv_rows(data / "maltreatment_reports.csv")
    spoiled: set[str] = set()
    children[3]["birth_date"] = ""
    spoiled.add(children[3]["child_id"])
    discharged = [row for row in episodes if row["discharge_date"]]
    discharged[5]["discharge_date"] = discharged[5]["removal_date"]
    discharged[9]["discharge_reason"] = ""
    spoiled |= {discharged[5]["child_id"], discharged[9]["child_id"]}
    overlapping = dict(discharged[12], episode_id="extra-1")
    episodes.append(overlapping)
    spoiled.add(overlapping["child_id"])
    episodes.append(dict(discharged[14], episode_id="orphan-1", child_id="nobody"))
    reports.append(dict(reports[0], report_id="orphan-r", child_id="nobody"))
    placements.append(dict(placements[0], episode_id="no-episode"))
    _write_rows(data / "children.csv", children)
    _write_rows(data / "episodes.csv", episodes)
    _write_rows(data / "placements.csv", placements)
    _write_rows(data / "maltreatment_reports.csv", reports)
    return spoiled


def _without(data: Path, target: Path, children: set[str]) -> None:
    """The same data with these children (and every orphan row) removed."""
    target.mkdir()
    kept_children = [row for row in _csv_rows(data / "children.csv")
                     if row["child_id"] not in children]
    known = {row["child_id"] for row in kept_children}
    episodes = [row for row in _csv_rows(data / "episodes.csv") if row["child_id"] in known]
    episode_ids = {row["episode_id"] for row in episodes}
    _write_rows(target / "children.csv", kept_children)
    _write_rows(target / "episodes.csv", episodes)
    for table in ("placements", "assignments"):
        _write_rows(target / f"{table}.csv", [row for row in _csv_rows(data / f"{table}.csv")
                                              if row["episode_id"] in episode_ids])
    _write_rows(target / "maltreatment_reports.csv",
                [row for row in _csv_rows(data / "maltreatment_reports.csv")
                 if row["child_id"] in known])
    (target / "population.csv").write_bytes((data / "population.csv").read_bytes())


def _numbers(directory: Path, by: tuple[str, ...]) -> list[tuple[object, ...]]:
    data = store.load_directory(directory)
    try:
        result = computing.compute(data, parse_period("23A23B"), by=by, suppress=False)
    finally:
        data.close()
    return [(row.measure, row.groups, row.numerator, row.denominator, row.value)
            for row in result.rows]


@pytest.mark.parametrize("by", [(), ("county",), ("race_ethnicity", "age_band")])
def test_measures_on_flagged_data_equal_the_measures_without_those_children(
    tmp_path: Path, by: tuple[str, ...],
) -> None:
    data = tmp_path / "flawed"
    synthetic.generate(data, 1500, seed=4, fmt="csv")
    spoiled = _spoil(data)
    data_with_report = store.load_directory(data)
    quality = data_with_report.report.quality
    data_with_report.close()
    assert quality is not None
    assert quality.children_set_aside == len(spoiled)
    _without(data, tmp_path / "clean", spoiled)
    assert _numbers(data, by) == _numbers(tmp_path / "clean", by)


def test_import_keeps_the_flagged_rows_and_says_what_it_set_aside(tmp_path: Path) -> None:
    data, database = _flawed(tmp_path / "data"), tmp_path / "outcomes.duckdb"
    out = io.StringIO()
    call_command("outcomes", "import", "--data", str(data), "--into", str(database), stdout=out)
    text = out.getvalue()
    assert ("Data quality: 9 flagged records; 4 children set aside from every measure"
            in text)
    assert "  orphan_reference: 3 of 13 (23.1%, limit 1.0%) OVER THE LIMIT" in text
    # Nothing is lost: the summary counts every row given, set aside or not.
    assert "episodes: none → 7" in text
    with duckdb.connect(str(database), read_only=True) as con:
        kept = {row[0] for row in con.execute("SELECT episode_id FROM episodes").fetchall()}
        aside = {row[0] for row in con.execute(
            "SELECT episode_id FROM set_aside_episodes").fetchall()}
        flags = con.execute("SELECT file, \"row\", line, \"check\" FROM data_quality_flags "
                            "WHERE table_name = 'placements'").fetchall()
    assert kept == {"E1", "E7"}
    assert aside == {"E2", "E3", "E4", "E5", "E6"}
    assert sorted(flags) == [("placements.csv", 2, 3, "placement_outside_episode"),
                             ("placements.csv", 3, 4, "orphan_reference")]
    # The stored report is what the command prints for the data directory.
    assert _report_rows(database) == _report_rows(data)
    as_json = json.loads(io.StringIO(_quality_text(database, "--format", "json")).read())
    assert as_json[0] == {"check": "birth_after_removal", "county": ALAMEDA, "flagged": 1,
                          "denominator": 3, "rate": 1 / 3, "limit": 0.05, "over_limit": True}


def _quality_text(data: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("outcomes", "quality", "--data", str(data), *args, stdout=out)
    return out.getvalue()


def test_strict_refuses_flagged_records_and_loads_nothing(tmp_path: Path) -> None:
    data, database = _flawed(tmp_path / "data"), tmp_path / "outcomes.duckdb"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("outcomes", "import", "--data", str(data), "--into", str(database),
                     "--strict", stderr=err)
    assert not database.exists()
    assert ("episodes.csv, row 2 (line 3), column discharge_date: discharge_date 2023-02-01 is "
            "the removal_date") in err.getvalue()
    with pytest.raises(CommandError):
        call_command("outcomes", "compute", "--data", str(data), "--period", "23A23B",
                     "--strict", stderr=io.StringIO(), stdout=io.StringIO())


def test_rows_are_marked_dq_by_their_county_and_all_data_by_its_own_rates(
    tmp_path: Path,
) -> None:
    data = _flawed(tmp_path / "data")
    out = io.StringIO()
    call_command("outcomes", "compute", "--data", str(data), "--period", "2023-01-01:2023-12-31",
                 "--by", "county", "--measures", "permanency_12m_entries", "--no-suppress",
                 stdout=out)
    marks = {row["county"]: row["data_quality"] for row in csv.DictReader(io.StringIO(
        out.getvalue()))}
    # Only C1 (Fresno) and C6 (Los Angeles) are left; Fresno's data are over a limit.
    assert marks == {FRESNO: "DQ", LOS_ANGELES: "ok"}
    out = io.StringIO()
    call_command("outcomes", "compute", "--data", str(data), "--period", "2023-01-01:2023-12-31",
                 "--by", "office", "--measures", "permanency_12m_entries", "--no-suppress",
                 stdout=out)
    # Both offices are "north": Fresno's and Los Angeles's episodes, Fresno over a limit.
    assert {row["data_quality"] for row in csv.DictReader(io.StringIO(out.getvalue()))} == {
        "DQ"}


def test_clean_data_are_ok_everywhere(tmp_path: Path) -> None:
    data = tmp_path / "data"
    synthetic.generate(data, 800, seed=2, fmt="csv")
    rows = _report_rows(data)
    assert all(row["flagged"] == "0" and row["over_limit"] == "false" for row in rows)
    loaded = store.load_directory(data)
    try:
        result = computing.compute(loaded, parse_period("23A23B"), by=("county",))
    finally:
        loaded.close()
    assert {row.data_quality for row in result.rows} == {"ok"}


def test_a_database_imported_before_the_checks_says_to_import_again(tmp_path: Path) -> None:
    database = tmp_path / "old.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("CREATE TABLE episodes (episode_id VARCHAR)")
    with pytest.raises(CommandError, match="import the data again"):
        call_command("outcomes", "quality", "--data", str(database), stdout=io.StringIO())


def test_count_tables_are_marked_like_measures(tmp_path: Path) -> None:
    data = _flawed(tmp_path / "data")
    out = io.StringIO()
    call_command("outcomes", "counts", "--data", str(data), "--period", "2023-01-01:2023-12-31",
                 "--by", "county", "--tables", "entries", "--no-suppress", stdout=out)
    marks = {(row["county"], row["category"]): row["data_quality"]
             for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert marks[(FRESNO, "total")] == "DQ"
    assert marks[(LOS_ANGELES, "total")] == "ok"
    # The state total follows all the data, which are over several limits.
    assert marks[("total", "total")] == "DQ"


@pytest.mark.django_db(transaction=True)
def test_postgresql_keeps_the_report_the_flagged_rows_and_the_marks(tmp_path: Path) -> None:
    import uuid

    from django.db import connection

    from practicehub.outcomes.tests.test_backends import ON_POSTGRES, _postgres_url

    if not ON_POSTGRES:
        pytest.skip("DATABASE_URL is not a PostgreSQL URL; CI's PostgreSQL pass (.ci/run) sets one")
    schema = f"outcomes_dq_{uuid.uuid4().hex[:8]}"
    url = _postgres_url(schema)
    data = _flawed(tmp_path / "data")
    try:
        out = io.StringIO()
        call_command("outcomes", "import", "--data", str(data), "--into", url, stdout=out)
        assert "Data quality: 9 flagged records; 4 children set aside" in out.getvalue()
        assert "episodes: none → 7" in out.getvalue()
        assert _report_rows(url) == _report_rows(data)
        computed = io.StringIO()
        call_command("outcomes", "compute", "--data", url, "--period", "2023-01-01:2023-12-31",
                     "--by", "county", "--measures", "permanency_12m_entries", "--no-suppress",
                     stdout=computed)
        marks = {row["county"]: row["data_quality"]
                 for row in csv.DictReader(io.StringIO(computed.getvalue()))}
        assert marks == {FRESNO: "DQ", LOS_ANGELES: "ok"}
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {schema}.set_aside_episodes")  # noqa: S608
            assert cursor.fetchone() == (5,)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def test_strict_names_each_flagged_record_by_file_row_line_and_column(tmp_path: Path) -> None:
    data = _flawed(tmp_path / "data")
    with pytest.raises(store.InvalidDataError) as refused:
        store.load_directory(data, checks=Checks(strict=True))
    lines = set(refused.value.report.format().splitlines())
    assert {
        "children.csv, row 2 (line 3), column birth_date: birth_date is empty for child 'C2'",
        "episodes.csv, row 3 (line 4), column removal_date: removal_date 2023-01-01 is before "
        "the child's birth_date 2023-06-01",
        "episodes.csv, row 3 (line 4), column discharge_date: discharge_date 2023-02-01 is "
        "before the child's birth_date 2023-06-01",
        "episodes.csv, row 5 (line 6), column child_id: child_id 'C9' has no row in children",
        "episodes.csv, row 6 (line 7), column discharge_reason: discharge_reason is empty "
        "although discharge_date 2022-06-01 is set",
        "placements.csv, row 2 (line 3), column start_date: start_date 2022-12-01 is before "
        "removal_date 2023-01-01 of episode 'E4'",
        "placements.csv, row 3 (line 4), column episode_id: episode_id 'E99' has no row in "
        "episodes",
        "maltreatment_reports.csv, row 2 (line 3), column child_id: child_id 'C8' has no row in "
        "children",
    } <= lines
    assert refused.value.report.error_count == 9
