"""``practicehub bench outcomes`` on a tiny data set: the report's shape, never its timing."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command

from practicehub.outcomes import bench
from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.engine import contract
from practicehub.outcomes.engine.measures import MEASURES

PHASES = ("engine", "engine_cached", "pandas", "scan", "import", "plain_load", "facts_floor")


def test_bench_outcomes_prints_a_table_and_writes_the_json_report(tmp_path: Path) -> None:
    out = StringIO()
    call_command("bench", "outcomes", "--episodes", "300", "--seed", "3",
                 "--results-dir", str(tmp_path), stdout=out)
    (written,) = tmp_path.glob("outcomes-*.json")
    report = json.loads(written.read_text())
    assert report["area"] == "outcomes"
    assert report["measures"] == len(MEASURES)
    (size,) = report["sizes"]
    assert size["episodes"] == 300
    for phase in PHASES:
        assert {"seconds", "peak_rss_mb"} <= set(size[phase]), size[phase]
    # Every measure in one query.
    assert size["engine"]["measures_computed"] == len(MEASURES)
    assert 0 < size["engine"]["sql_seconds"] < size["engine"]["seconds"]
    assert size["pandas_matches_engine"] is True
    assert size["engine_over_scan"] > 0
    # Issue 11's compute target: the measures with their SQL cached against the scan.
    assert size["cached_over_scan"] == pytest.approx(
        size["engine_cached"]["seconds"] / size["scan"]["seconds"])
    assert size["pandas_over_engine"] > 0
    assert size["pandas_over_engine_cached"] > 0
    # The import is timed against DuckDB alone loading the same files, in the same run.
    assert size["import_over_plain_load"] == pytest.approx(
        size["import"]["seconds"] / size["plain_load"]["seconds"])
    # And so is the least an import deriving the facts can take: that load and the facts.
    assert size["facts_floor_over_plain_load"] == pytest.approx(
        size["facts_floor"]["seconds"] / size["plain_load"]["seconds"])
    # The second process found the first one's compiled SQL.
    assert size["engine_cached"]["compile_seconds"] < size["engine"]["compile_seconds"]
    assert size["kept_in"] is None
    lines = out.getvalue().splitlines()
    assert "engine÷scan" in lines[2]
    assert "cached÷scan" in lines[2]
    assert lines[3].split()[0] == "300"
    assert "import÷plain" in lines[4]
    assert "floor÷plain" in lines[4]
    assert lines[5].split()[0] == "300"
    assert lines[-1] == f"Report written to {written}"


def test_the_scan_reads_every_column_the_measures_read_from_the_stored_tables() -> None:
    columns = bench.used_columns()
    assert set(columns) == {"episode_facts", "placement_facts", "victim_reports", "population"}
    assert {"removal_date", "discharge_date", "county", "race_ethnicity", "eighteenth",
            "next_removal"} <= set(columns["episode_facts"])
    assert "episode_id" not in columns["population"]
    assert bench.scan_sql("episodes", ["county"]) == (
        'SELECT count(*), min("county") FROM episodes WHERE rowid >= 0')


def test_sizes_read_a_comma_list() -> None:
    assert bench.sizes("1000000,10_000_000") == [1_000_000, 10_000_000]


def test_a_kept_run_can_be_measured_again_without_generating(tmp_path: Path) -> None:
    call_command("bench", "outcomes", "--episodes", "200", "--seed", "3", "--keep",
                 "--results-dir", str(tmp_path / "first"), stdout=StringIO())
    (first,) = (tmp_path / "first").glob("outcomes-*.json")
    kept = Path(json.loads(first.read_text())["sizes"][0]["kept_in"])
    try:
        out = StringIO()
        call_command("bench", "outcomes", "--reuse", str(kept),
                     "--results-dir", str(tmp_path / "again"), stdout=out)
        (again,) = (tmp_path / "again").glob("outcomes-*.json")
        (size,) = json.loads(again.read_text())["sizes"]
        assert size["episodes"] == 200
        assert size["generate_seconds"] is None
        assert size["pandas_matches_engine"] is True
        assert out.getvalue().splitlines()[3].split()[:3] == ["200", "-", "-"]
    finally:
        shutil.rmtree(kept)


def test_a_phase_report_is_read_when_duckdb_prints_its_progress_bar_around_it() -> None:
    # At 10,000,000 episodes DuckDB's progress bar (written from C, with carriage returns and no
    # newline) came before the JSON on its line, and the whole run lost the DuckDB phase's figures.
    bar = "100% \u2595\u2588\u258f (00:00:02.6 elapsed)     "
    after = "\r" + bar
    code = (f"import json, os, sys; sys.stdout.write({bar!r}); "
            "print(json.dumps({'seconds': 1.5, 'peak_rss_mb': 9}), flush=True); "
            f"os.write(1, {after!r}.encode())")
    assert bench.run_phase(["-c", code]) == {"seconds": 1.5, "peak_rss_mb": 9}
    assert bench.run_phase(["-c", "print('no report')"])["error"] == (
        "the phase printed no report")


def test_the_facts_floor_loads_the_files_and_derives_every_stored_fact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, database = tmp_path / "data", tmp_path / "floor.duckdb"
    counts = synthetic.generate(data, 200, 5)
    bench.facts_floor_phase(f"{data}\n{database}")
    assert json.loads(capsys.readouterr().out)["seconds"] > 0
    with duckdb.connect(str(database), read_only=True) as con:
        assert store.missing_fact_tables(con) == []
        (episodes,) = con.execute("SELECT count(*) FROM episode_facts").fetchall()
        (ordered,) = con.execute(
            f"SELECT count(DISTINCT {contract.PLACEMENT_ORDER_COLUMN}) "  # noqa: S608
            "FROM placements").fetchall()
    assert episodes == (counts["episodes"],)
    assert ordered == (counts["placements"],)
