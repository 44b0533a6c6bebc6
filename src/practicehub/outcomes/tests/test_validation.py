"""Validation (§1): every kind of error, named by file, row and column."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from practicehub.outcomes.data.quality import CHECKS_BY_NAME
from practicehub.outcomes.data.validation import Checks, validate_directory
from practicehub.outcomes.services.counties import known_counties
from practicehub.outcomes.tests.builders import (
    child,
    episode,
    placement,
    population,
    report,
    write_data,
    write_table,
)

STRICT = Checks(strict=True)


def _valid(directory: Path) -> Path:
    return write_data(
        directory,
        children=[child("C1", "2015-01-01"), child("C2", "2016-05-01")],
        episodes=[episode("E1", "C1", "2023-01-01", "2023-03-01"),
                  episode("E2", "C1", "2023-03-01"),  # re-entry on the discharge day
                  episode("E3", "C2", "2023-02-01")],
        placements=[placement("E1", "2023-01-01", "2023-03-01"), placement("E3", "2023-02-01")],
        reports=[report("R1", "C1", "2022-12-20")],
        populations=[population("06019", 2023, "white", 7, 1000)],
    )


def test_a_valid_directory_passes_and_counts_its_rows(tmp_path: Path) -> None:
    report_ = validate_directory(_valid(tmp_path))
    assert report_.ok, report_.format()
    assert report_.rows["episodes.csv"] == 3
    assert report_.format().startswith("Data valid:")


def _broken(directory: Path) -> Path:
    children = [child("C1"), child("C1"), child("C2", "2015-13-01", sex="girl"),
                child("", "2016-01-01"), child("C4", "2020-05-01"), child("C5", ""),
                child("C6", "2023-06-01")]
    episodes = [
        episode("E1", "C1", "2023-01-01", "2022-12-01"),
        episode("E2", "C9", "2023-01-01"),
        episode("E3", "C1", "2023-02-01", "2023-03-01") | {"county": "", "discharge_reason": ""},
        episode("E4", "C4", "2020-01-01"),
        episode("E5", "C1", "2023-01-15"),
        episode("E5", "C1", "2023-05-01", "2023-06-01", "home"),
        episode("E6", "C5", "2023-01-01"),
        episode("E7", "C6", "2023-01-01", "2023-02-01"),
        episode("E8", "C2", "2023-04-01", "2023-04-01"),
    ]
    placements = [
        placement("E3", "2023-01-15"),
        placement("E3", "2023-02-10", "2023-03-05", "castle"),
        placement("E99", "2023-02-10"),
        placement("E3", "2023-02-20", "2023-02-10"),
    ]
    populations = [population("06019", 2023, "white", 18, 100),
                   population("06019", 2023, "purple", 5, 100) | {"count": "1x"},
                   population("06019", 2023, "white", 18, 100),
                   population("99999", 2023, "white", 5, 100)]
    return write_data(directory, children=children, episodes=episodes, placements=placements,
                      reports=[report("R1", "C1", "2023-02-30")], populations=populations)


# A FIPS-style code the state lacks is looked up in the organisation tree: these use the database.
def test_every_kind_of_error_is_reported_not_just_the_first(db: None, tmp_path: Path) -> None:
    found = validate_directory(_broken(tmp_path), checks=STRICT)
    assert not found.ok
    kinds = {rule for _, rule in found.counts}
    # Every structural rule; missing_reference is an assignment's (there are none here). The
    # record-level checks (§1a) run on data that loads: test_quality.py.
    assert kinds == {"duplicate_key", "malformed_date", "unknown_code", "missing_value",
                     "malformed_integer", "out_of_range", "unknown_county", "end_before_start"}
    assert not set(kinds) & set(CHECKS_BY_NAME)


def test_messages_name_the_file_row_line_and_column(db: None, tmp_path: Path) -> None:
    # The counties the command accepts: the state's and the organisation tree's.
    checks = Checks(strict=True, counties=known_counties())
    lines = set(validate_directory(_broken(tmp_path), checks=checks).format().splitlines())
    expected = [
        "children.csv, row 2 (line 3), column child_id: duplicate key child_id 'C1' "
        "(first at row 1)",
        "children.csv, row 3 (line 4), column birth_date: malformed date '2015-13-01' "
        "(expected a real date written YYYY-MM-DD)",
        "children.csv, row 4 (line 5), column child_id: missing required value",
        "placements.csv, row 4 (line 5), column end_date: end_date 2023-02-10 is before "
        "start_date 2023-02-20",
        "population.csv, row 1 (line 2), column age: value '18' outside 0..17",
        "population.csv, row 2 (line 3), column count: not a whole number: '1x'",
        "population.csv, row 4 (line 5), column county: unknown county code '99999' (expected "
        "a county of California (FIPS 06001..06115) or a code of the organisation tree)",
    ]
    assert [line for line in expected if line not in lines] == []


def test_missing_files_and_required_columns_are_reported(tmp_path: Path) -> None:
    _valid(tmp_path)
    (tmp_path / "population.csv").unlink()
    write_table(tmp_path, "episodes", [], ["episode_id", "child_id", "removal_date"])
    write_table(tmp_path, "placements", [])
    found = validate_directory(tmp_path)
    assert {str(problem) for problem in found.problems} >= {
        "population.csv: required table population not found (expected population.csv or "
        "population.parquet)",
        "episodes.csv, column county: required column missing (the file has: episode_id, "
        "child_id, removal_date)",
    }
    assert {rule for _, rule in found.counts} == {"missing_file", "missing_column",
                                                  "empty_table"}


def test_a_ragged_csv_row_is_reported_with_its_line(tmp_path: Path) -> None:
    _valid(tmp_path)
    with (tmp_path / "placements.csv").open("a", encoding="utf-8") as handle:
        handle.write("E1,2023-01-01,,group_home,extra\n")
    (problem,) = validate_directory(tmp_path).problems
    assert problem.rule == "unreadable_file"
    assert "Line: 4" in problem.message


def test_a_table_given_as_csv_and_parquet_is_refused(tmp_path: Path) -> None:
    _valid(tmp_path)
    pq.write_table(pa.table({"county": ["06019"]}), tmp_path / "population.parquet")
    assert ("population.csv", "ambiguous_file") in validate_directory(tmp_path).counts


def test_errors_are_listed_up_to_the_limit_and_all_counted(tmp_path: Path) -> None:
    children = [child(f"C{n}", "2015-02-30") for n in range(30)]
    found = validate_directory(write_data(tmp_path, children=children), limit=20)
    assert found.counts[("children.csv", "malformed_date")] == 30
    assert len([p for p in found.problems if p.rule == "malformed_date"]) == 20
    assert "children.csv: malformed date (malformed_date): 30 (first 20 listed)" in (
        found.format()
    )


def _parquet(directory: Path, table: str, columns: dict[str, list[object]]) -> None:
    pq.write_table(pa.table(columns), directory / f"{table}.parquet")


def test_parquet_files_in_their_own_types_are_read_and_numbered_from_row_1(
    tmp_path: Path,
) -> None:
    _valid(tmp_path)
    (tmp_path / "episodes.csv").unlink()
    _parquet(tmp_path, "episodes", {
        "episode_id": ["E1", "E2"], "child_id": ["C1", "C2"], "county": ["06019", "06019"],
        "removal_date": [date(2023, 1, 1), date(2023, 2, 1)],
        "discharge_date": [datetime(2023, 3, 1), datetime(2023, 3, 1, 12, 30)],
        "discharge_reason": ["reunification", "adoption"],
    })
    (tmp_path / "placements.csv").unlink()
    _parquet(tmp_path, "placements", {"episode_id": ["E1"], "start_date": ["2023-01-01"]})
    (problem,) = validate_directory(tmp_path).problems
    assert str(problem) == (
        "episodes.parquet, row 2, column discharge_date: malformed date '2023-03-01 12:30:00' "
        "(expected a real date written YYYY-MM-DD)"
    )


def test_a_csv_file_that_is_not_utf8_is_named_with_its_line_and_byte(tmp_path: Path) -> None:
    _valid(tmp_path)
    (tmp_path / "children.csv").write_bytes(b"child_id,birth_date\nC1,2020-01-01\nCaf\xe9,x\n")
    problem = next(problem for problem in validate_directory(tmp_path).problems
                   if problem.rule == "unreadable_file")
    assert str(problem) == (
        "children.csv: cannot be read: it is not UTF-8 text: byte 0xe9 at line 3, column 4 "
        "(byte offset 37) is not valid UTF-8; save it as UTF-8 text and try again")
