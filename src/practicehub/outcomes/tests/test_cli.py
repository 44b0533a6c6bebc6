"""``practicehub outcomes``: the command-line contract of §6."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.outcomes.tests.builders import (
    child,
    episode,
    placement,
    population,
    write_data,
)

HEADER = ("measure,period_start,period_end,county,numerator,denominator,value,ci_low,ci_high,"
          "suppressed,data_quality")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Fresno: 12 entries, 4 reaching permanency; Alameda: 3 entries, none."""
    children = [child(f"C{n}") for n in range(15)]
    episodes = [episode(f"E{n}", f"C{n}", "2023-02-01", "2023-06-01" if n < 4 else "",
                        county="06019" if n < 12 else "06001") for n in range(15)]
    populations = [population("06019", 2023, "white", 5, 3000),
                   population("06001", 2023, "white", 5, 2000)]
    placements = [placement(f"E{n}", "2023-02-01") for n in range(15)]
    return write_data(tmp_path / "data", children=children, episodes=episodes,
                      placements=placements, populations=populations)


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("outcomes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_compute_prints_csv_columns_in_the_contract_order(data: Path) -> None:
    out, _ = run("compute", "--data", str(data), "--period", "2023-01-01:2023-12-31",
                 "--by", "county", "--measures", "permanency_12m_entries", "--no-suppress")
    header, alameda, fresno = out.splitlines()
    assert header == HEADER
    assert alameda.split(",")[:8] == ["permanency_12m_entries", "2023-01-01", "2023-12-31",
                                      "06001", "0", "3", "0.0", "0.0"]
    # Values are unrounded: 4/12 printed in full, Wilson bounds 0.1381 and 0.6094.
    fields = fresno.split(",")
    assert fields[:7] == ["permanency_12m_entries", "2023-01-01", "2023-12-31", "06019", "4",
                          "12", "0.3333333333333333"]
    assert [float(value) for value in fields[7:9]] == pytest.approx([0.13812, 0.60938],
                                                                     abs=1e-5)
    assert len(fields[7]) > 10
    assert fields[9:] == ["false", "ok"]


def test_suppressed_rows_leave_counts_and_values_empty(data: Path) -> None:
    out, _ = run("compute", "--data", str(data), "--period", "23A23B", "--by", "county",
                 "--measures", "permanency_12m_entries,entry_rate")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == HEADER.split(",")
    assert {(*row[:4], row[-2]) for row in rows[1:]} == {
        ("permanency_12m_entries", "2022-10-01", "2023-09-30", "06001", "true"),
        ("permanency_12m_entries", "2022-10-01", "2023-09-30", "06019", "true"),
        ("entry_rate", "2022-10-01", "2023-09-30", "06001", "true"),
        ("entry_rate", "2022-10-01", "2023-09-30", "06019", "true"),
    }
    assert all(row[4:9] == [""] * 5 for row in rows[1:])


def test_without_by_there_is_one_row_per_measure(data: Path) -> None:
    out, err = run("compute", "--data", str(data), "--period", "2023-01-01:2023-12-31",
                   "--no-suppress")
    lines = out.splitlines()
    assert lines[0] == HEADER.replace("county,", "")
    measures = [line.split(",")[0] for line in lines[1:]]
    assert len(measures) == len(set(measures)) == 13
    assert "warning: left out disparity_entries" in err


def test_json_and_parquet_carry_the_same_rows(data: Path, tmp_path: Path) -> None:
    args = ["compute", "--data", str(data), "--period", "2023-01-01:2023-12-31",
            "--measures", "entry_rate", "--no-suppress"]
    out, _ = run(*args, "--format", "json")
    (record,) = json.loads(out)
    assert record == {"measure": "entry_rate", "period_start": "2023-01-01",
                      "period_end": "2023-12-31", "numerator": 15, "denominator": 5000,
                      "value": 3.0, "ci_low": record["ci_low"], "ci_high": record["ci_high"],
                      "suppressed": False, "data_quality": "ok"}
    target = tmp_path / "out.parquet"
    run(*args, "--format", "parquet", "--out", str(target))
    assert pq.read_table(target).to_pylist() == [record]


def test_bad_input_fails_with_the_validation_report_on_stderr(tmp_path: Path) -> None:
    bad = write_data(tmp_path / "bad", children=[child("C1", "2015-02-30")])
    completed = subprocess.run(
        [sys.executable, "-m", "practicehub.cli", "outcomes", "compute", "--data", str(bad),
         "--period", "23A23B"],
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode != 0
    assert completed.stdout == ""
    assert ("children.csv, row 1 (line 2), column birth_date: malformed date '2015-02-30'"
            in completed.stderr)


def test_an_unreadable_period_or_measure_is_a_usage_error(data: Path) -> None:
    with pytest.raises(CommandError, match="federal code"):
        run("compute", "--data", str(data), "--period", "2023")
    with pytest.raises(CommandError, match="unknown measure"):
        run("compute", "--data", str(data), "--period", "23A23B", "--measures", "p9")


def test_validate_and_import_report_and_load(data: Path, tmp_path: Path) -> None:
    out, _ = run("validate", "--data", str(data))
    assert out.startswith("Data valid: children.csv 15 rows")
    database = tmp_path / "db" / "outcomes.duckdb"
    out, _ = run("import", "--data", str(data), "--into", str(database))
    assert database.is_file()
    out, _ = run("compute", "--data", str(database), "--period", "2023-01-01:2023-12-31",
                 "--measures", "entry_rate", "--no-suppress")
    assert out.splitlines()[1].startswith("entry_rate,2023-01-01,2023-12-31,15,5000,3.0,")


def test_validate_fails_on_invalid_data(tmp_path: Path) -> None:
    bad = write_data(tmp_path / "bad", children=[child("C1")],
                     episodes=[episode("E1", "C9", "2023-01-01")],
                     placements=[placement("E1", "2023-01-01")],
                     populations=[population("06019", 2023, "white", 5, 100)])
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("outcomes", "validate", "--data", str(bad), "--strict", stderr=err)
    assert "episodes.csv, row 1 (line 2), column child_id: child_id 'C9' has no row" in (
        err.getvalue())


def test_a_database_imported_before_the_fact_tables_asks_for_a_new_import(
    data: Path, tmp_path: Path
) -> None:
    database = tmp_path / "old.duckdb"
    run("import", "--data", str(data), "--into", str(database))
    con = duckdb.connect(str(database))
    con.execute("ALTER TABLE victim_reports DROP COLUMN recurrence_date")
    con.execute("DROP TABLE episode_facts")
    con.close()
    with pytest.raises(CommandError) as failure:
        run("compute", "--data", str(database), "--period", "23A23B")
    assert failure.value.returncode == 1
    assert "lacks the derived tables episode_facts, victim_reports" in str(failure.value)
    assert "import the data again" in str(failure.value)
