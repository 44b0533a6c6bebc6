"""Importing the federal foster care file: codes, the latest-episode rule, errors, the command.

Every file here is hand-built synthetic data in the AFCARS element layout.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.outcomes.data.federal_file import (
    RECORD_LEVEL_RULES,
    Conversion,
    ConversionError,
    convert,
)
from practicehub.outcomes.tests.builders import population, write_table

COLUMNS = ("RecNumbr", "FIPSCode", "DOB", "Sex", "AmIAKN", "Asian", "BlkAfrAm", "HawaiiPI",
           "White", "UnToDetm", "HisOrgin", "Rem1Dt", "TotalRem", "LatRemDt", "CurSetDt",
           "NumPlep", "CurPlSet", "DoDFCDt", "DISREASN")


def record(number: str, removal: str = "2023-02-01", discharge: str = "", reason: str = "0",
           *, setting: str = "3", setting_date: str = "", **elements: str) -> dict[str, str]:
    """A white, non-Hispanic girl of Fresno in her first removal, in her first placement."""
    return {
        "RecNumbr": number, "FIPSCode": "06019", "DOB": "2015-01-01", "Sex": "2",
        "AmIAKN": "0", "Asian": "0", "BlkAfrAm": "0", "HawaiiPI": "0", "White": "1",
        "UnToDetm": "0", "HisOrgin": "2", "Rem1Dt": removal, "TotalRem": "1",
        "LatRemDt": removal, "CurSetDt": setting_date or removal, "NumPlep": "1",
        "CurPlSet": setting, "DoDFCDt": discharge, "DISREASN": reason,
    } | elements


def write_federal(path: Path, records: list[dict[str, str]],
                  columns: tuple[str, ...] = COLUMNS) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
    return path


def read(directory: Path, table: str) -> list[dict[str, str]]:
    with (directory / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def converted(tmp_path: Path, *records: dict[str, str]) -> tuple[Path, Conversion]:
    out = tmp_path / "data"
    conversion = convert(write_federal(tmp_path / "afcars.csv", list(records)), out)
    return out, conversion


@pytest.mark.parametrize(("code", "setting"), [
    ("1", "pre_adoptive"), ("2", "relative_foster"), ("3", "nonrelative_foster"),
    ("4", "group_home"), ("5", "institution"), ("6", "supervised_independent_living"),
    ("7", "runaway"), ("8", "trial_home_visit"),
])
def test_each_current_setting_code_becomes_the_contract_setting(
    tmp_path: Path, code: str, setting: str,
) -> None:
    out, _ = converted(tmp_path, record("A1", setting=code, setting_date="2023-03-01"))
    assert read(out, "placements") == [{"episode_id": "A1:2023-02-01",
                                        "start_date": "2023-03-01", "end_date": "",
                                        "setting": setting}]


@pytest.mark.parametrize(("code", "reason"), [
    ("1", "reunification"), ("2", "relative"), ("3", "adoption"), ("4", "emancipation"),
    ("5", "guardianship"), ("6", "transfer"), ("7", "runaway"), ("8", "death"),
])
def test_each_discharge_reason_code_becomes_the_contract_reason(
    tmp_path: Path, code: str, reason: str,
) -> None:
    out, _ = converted(tmp_path, record("A1", "2023-02-01", "2023-08-01", code))
    (episode,) = read(out, "episodes")
    assert (episode["discharge_date"], episode["discharge_reason"]) == ("2023-08-01", reason)
    (placement,) = read(out, "placements")
    assert placement["end_date"] == "2023-08-01"


def test_sex_race_flags_and_hispanic_origin_become_yes_no_unknown(tmp_path: Path) -> None:
    out, _ = converted(
        tmp_path,
        record("M1", Sex="1", AmIAKN="1", BlkAfrAm="1", White="0", HisOrgin="1"),
        record("F2", Sex="2", Asian="1", White="0", HawaiiPI="", HisOrgin="3"),
        # Race not determinable: the zeros are no answer, so they become unknown too.
        record("U3", Sex="", White="0", UnToDetm="1", HisOrgin=""),
    )
    flags = ("sex", "race_aian", "race_asian", "race_black", "race_nhopi", "race_white",
             "hispanic")
    assert {row["child_id"]: tuple(row[name] for name in flags)
            for row in read(out, "children")} == {
        "M1": ("male", "yes", "no", "yes", "no", "no", "yes"),
        "F2": ("female", "no", "yes", "no", "unknown", "no", "unknown"),
        "U3": ("unknown", "unknown", "unknown", "unknown", "unknown", "unknown", "unknown"),
    }


def test_only_the_latest_episode_and_current_setting_are_kept(tmp_path: Path) -> None:
    third_removal = record("R1", "2023-02-01", "2023-09-01", "1", setting="8",
                           setting_date="2023-07-15", Rem1Dt="2019-05-01", TotalRem="3",
                           NumPlep="4", FIPSCode="6019")
    out, conversion = converted(tmp_path, third_removal)
    assert read(out, "episodes") == [{
        "episode_id": "R1:2023-02-01", "child_id": "R1", "county": "06019", "office": "",
        "removal_date": "2023-02-01", "discharge_date": "2023-09-01",
        "discharge_reason": "reunification",
    }]
    assert [row["start_date"] for row in read(out, "placements")] == ["2023-07-15"]
    assert "earlier episodes 2 (by TotalRem), earlier placements 3 (by NumPlep)" in (
        conversion.summary())


def test_a_child_still_in_care_has_an_open_episode_and_placement(tmp_path: Path) -> None:
    out, conversion = converted(tmp_path, record("S1", "2022-11-20", setting="2"),
                                record("S2", "2022-12-01", setting="", CurSetDt=""))
    episodes = read(out, "episodes")
    assert [(row["discharge_date"], row["discharge_reason"]) for row in episodes] == [
        ("", ""), ("", "")]
    assert read(out, "placements") == [{"episode_id": "S1:2022-11-20",
                                        "start_date": "2022-11-20", "end_date": "",
                                        "setting": "relative_foster"}]
    assert conversion.still_in_care == 2
    assert "records without a current setting date 1." in conversion.summary()
    # Neither maltreatment reports nor a population are in the federal file.
    assert read(out, "maltreatment_reports") == read(out, "population") == []


def test_compact_dates_of_the_submission_layout_are_read(tmp_path: Path) -> None:
    out, _ = converted(tmp_path, record("D1", "20230201", "20230301", "1", DOB="20150101",
                                        CurSetDt="20230201"))
    (episode,) = read(out, "episodes")
    assert (episode["removal_date"], episode["discharge_date"]) == ("2023-02-01", "2023-03-01")


def _bad_file(tmp_path: Path) -> Path:
    return write_federal(tmp_path / "afcars.csv", [
        record("B1", Sex="3", CurPlSet="9"),
        record("B2", "2023-02-30", DOB="15/01/2015", CurSetDt="2023-03-01", Rem1Dt=""),
        record("B1", "2023-03-01", "2023-04-01", "0"),
        record("B4", "2023-03-01", "2023-02-01", "1", FIPSCode="Fresno"),
        record("B5", "2023-03-01", setting_date="2023-01-01", DOB="2023-06-01", DISREASN="2"),
        record("", "2023-03-01", White="yes", TotalRem="0", Rem1Dt="2023-05-01"),
    ])


def test_bad_codes_and_dates_are_named_by_row_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "data"
    with pytest.raises(ConversionError) as caught:
        convert(_bad_file(tmp_path), out, strict=True)
    lines = set(caught.value.report.format().splitlines())
    expected = [
        "afcars.csv, row 1 (line 2), column Sex: unknown code '3' (expected one of: 1, 2)",
        "afcars.csv, row 1 (line 2), column CurPlSet: unknown code '9' (expected one of: 1, 2, "
        "3, 4, 5, 6, 7, 8)",
        "afcars.csv, row 2 (line 3), column DOB: malformed date '15/01/2015' (expected a real "
        "date written YYYY-MM-DD or CCYYMMDD)",
        "afcars.csv, row 2 (line 3), column LatRemDt: malformed date '2023-02-30' (expected a "
        "real date written YYYY-MM-DD or CCYYMMDD)",
        "afcars.csv, row 3 (line 4), column RecNumbr: duplicate key RecNumbr 'B1' (first at "
        "row 1): give one row per child record",
        "afcars.csv, row 3 (line 4), column DISREASN: missing required value: DISREASN must be "
        "1-8 when DoDFCDt is set (found '0')",
        "afcars.csv, row 4 (line 5), column DoDFCDt: DoDFCDt 2023-02-01 is before LatRemDt "
        "2023-03-01",
        "afcars.csv, row 4 (line 5), column CurSetDt: CurSetDt 2023-03-01 is after DoDFCDt "
        "2023-02-01",
        "afcars.csv, row 4 (line 5), column FIPSCode: unknown code 'Fresno' (expected a FIPS "
        "county code of up to 5 digits, e.g. 06019)",
        "afcars.csv, row 5 (line 6), column LatRemDt: LatRemDt 2023-03-01 is before the "
        "child's DOB 2023-06-01",
        "afcars.csv, row 5 (line 6), column CurSetDt: CurSetDt 2023-01-01 is before LatRemDt "
        "2023-03-01",
        "afcars.csv, row 5 (line 6), column DoDFCDt: missing required value: DoDFCDt is "
        "required when DISREASN is 2",
        "afcars.csv, row 6 (line 7), column RecNumbr: missing required value",
        "afcars.csv, row 6 (line 7), column White: unknown code 'yes' (expected one of: 0, 1)",
        "afcars.csv, row 6 (line 7), column TotalRem: value '0' outside 1..",
        "afcars.csv, row 6 (line 7), column Rem1Dt: Rem1Dt 2023-05-01 is after LatRemDt "
        "2023-03-01: the first removal cannot follow the latest",
    ]
    assert [line for line in expected if line not in lines] == []
    assert caught.value.report.error_count == len(expected)
    assert not out.exists()
    # Without --strict the record-level problems (§1a) are left to the import's checks.
    with pytest.raises(ConversionError) as lenient:
        convert(_bad_file(tmp_path), out)
    rules = {problem.rule for problem in lenient.value.report.problems}
    assert rules.isdisjoint(RECORD_LEVEL_RULES)
    assert lenient.value.report.error_count == len(expected) - 5


def test_a_missing_element_is_reported_by_its_federal_name(tmp_path: Path) -> None:
    columns = tuple(name for name in COLUMNS if name not in ("DISREASN", "Rem1Dt"))
    path = write_federal(tmp_path / "afcars.csv", [record("A1")], columns)
    with pytest.raises(ConversionError) as caught:
        convert(path, tmp_path / "data")
    # Rem1Dt only feeds the summary of what is left out, so a file may go without it.
    (problem,) = caught.value.report.problems
    assert str(problem).startswith("afcars.csv, column DISREASN: required element missing")


def test_a_file_in_another_layout_is_refused_element_by_element(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    path.write_text("episode_id,child_id,removal_date\nE1,C1,2023-01-01\n", encoding="utf-8")
    with pytest.raises(ConversionError) as caught:
        convert(path, tmp_path / "data")
    assert {problem.column for problem in caught.value.report.problems} == {
        "RecNumbr", "FIPSCode", "DOB", "Sex", "AmIAKN", "Asian", "BlkAfrAm", "HawaiiPI",
        "White", "HisOrgin", "LatRemDt", "CurSetDt", "CurPlSet", "DoDFCDt", "DISREASN"}
    assert not (tmp_path / "data").exists()


def test_a_ragged_row_and_a_missing_population_file_are_reported_together(
    tmp_path: Path,
) -> None:
    path = write_federal(tmp_path / "afcars.csv", [record("A1"), record("A2")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("A3,06019\n")
    with pytest.raises(ConversionError) as caught:
        convert(path, tmp_path / "data", population=tmp_path / "population.csv")
    assert [str(problem) for problem in caught.value.report.problems] == [
        "afcars.csv, row 3 (line 4): cannot be read: the row has 2 fields, the header 19",
        "population.csv: population file not found",
    ]


def test_headers_match_in_any_case_and_parquet_is_read_in_its_own_types(
    tmp_path: Path,
) -> None:
    columns: dict[str, list[object]] = {name.upper(): [value] for name, value in
                                        record("P1", "2023-02-01", "2023-05-01", "5").items()}
    columns |= {"LATREMDT": [date(2023, 2, 1)], "DODFCDT": [date(2023, 5, 1)],
                "DISREASN": [5], "CURPLSET": [2.0], "FIPSCODE": [6019]}
    pq.write_table(pa.table(columns), tmp_path / "afcars.parquet")
    out = tmp_path / "data"
    convert(tmp_path / "afcars.parquet", out)
    (episode,) = read(out, "episodes")
    assert (episode["county"], episode["discharge_reason"]) == ("06019", "guardianship")
    assert read(out, "placements")[0]["setting"] == "relative_foster"


# The command ------------------------------------------------------------------------------------


def _fresno_2023(tmp_path: Path) -> Path:
    """Six entries in 2023, one short stay among them; P1 worked by hand is 3 of 5."""
    return write_federal(tmp_path / "afcars.csv", [
        record("A", "2023-02-01", "2023-06-01", "1"),  # reunified: yes
        record("B", "2023-03-01", "2023-09-01", "3", setting="1"),  # adopted: yes
        record("C", "2023-04-01", setting="2"),  # still in care: no
        record("D", "2023-05-01", "2023-05-05", "1"),  # short stay: not in the cohort
        record("E", "2023-01-10", "2023-12-01", "6", setting="4"),  # transfer: no
        # Reunified in June 2024 after a trial home visit from March 2023: the visit's 30th
        # day (2023-03-31) is the effective discharge, so yes; it needs CurPlSet 8 to count.
        record("G", "2023-02-01", "2024-06-01", "1", setting="8", setting_date="2023-03-01"),
        # Latest removal in 2022: not an entry of 2023, whatever happened in 2020.
        record("F", "2022-06-01", setting="2", Rem1Dt="2020-01-01", TotalRem="2"),
    ])


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("outcomes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_from_the_federal_file_then_compute_permanency_and_entries(
    tmp_path: Path,
) -> None:
    populations = write_table(tmp_path, "population", [population("06019", 2023, "white", 8,
                                                                  1000)])
    database = tmp_path / "db" / "outcomes.duckdb"
    out, _ = run("import", "--from", "federal-file", "--data", str(_fresno_2023(tmp_path)),
                 "--population", str(populations), "--into", str(database))
    assert out.startswith("Converted 7 federal records: 7 children, 7 episodes (2 still in "
                          "care), 7 placements.\n")
    assert "earlier episodes 1 (by TotalRem)" in out
    assert "reentry_12m (no later episode is ever seen, so it reads 0)" in out
    assert out.rstrip().endswith(f"Imported into {database}")
    out, _ = run("compute", "--data", str(database), "--period", "2023-01-01:2023-12-31",
                 "--measures", "permanency_12m_entries,entry_rate", "--no-suppress")
    rows = {line.split(",")[0]: line.split(",")[3:6] for line in out.splitlines()[1:]}
    assert rows == {"permanency_12m_entries": ["3", "5", "0.6"],
                    "entry_rate": ["6", "1000", "6.0"]}


def test_a_bad_federal_file_fails_the_import_and_leaves_no_database(tmp_path: Path) -> None:
    database = tmp_path / "db" / "outcomes.duckdb"
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded") as caught:
        call_command("outcomes", "import", "--from", "federal-file", "--data",
                     str(_bad_file(tmp_path)), "--into", str(database), stderr=err)
    assert caught.value.returncode == 1
    assert ("afcars.csv, row 2 (line 3), column LatRemDt: malformed date '2023-02-30'"
            in err.getvalue())
    assert not database.exists()


def test_population_is_only_for_the_federal_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--population goes with --from federal-file"):
        run("import", "--data", str(tmp_path), "--population", str(tmp_path / "p.csv"))
