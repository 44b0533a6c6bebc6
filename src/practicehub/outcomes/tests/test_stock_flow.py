"""Stock and flow counts (docs/outcomes.md, "Stock and flow"), by hand-worked cases.

One small data set holds every edge; each test states the children it expects in each cell and
why. Period 2023, in-care day 2023-06-30 or the period's last day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.outcomes.data import store
from practicehub.outcomes.engine import computing, stock_flow
from practicehub.outcomes.engine.measures.base import MeasureParams
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.tests.builders import child, episode, placement, population, write_data

PERIOD = "2023-01-01:2023-12-31"
HUMBOLDT, ALAMEDA, FRESNO = "06023", "06001", "06019"


def hand_worked(directory: Path) -> Path:
    return write_data(
        directory,
        children=[child("C1"), child("C2", race="black"), child("C3", sex="male"),
                  child("C4", "2005-06-30"), child("C5"), child("C6", race="hispanic"),
                  child("C7"), child("C8", "2005-01-01"), child("C9"), child("C10")],
        episodes=[
            # C1: entered 2023-01-10, still in care; moved to a group home on 2023-06-30.
            episode("E1", "C1", "2023-01-10"),
            # C2: an episode in 2021, then a re-entry that ends on 2023-06-30.
            episode("E2a", "C2", "2021-01-01", "2021-06-01"),
            episode("E2", "C2", "2023-03-01", "2023-06-30", "reunification"),
            # C3: in care since 2022, in Alameda; its first placement ends on 2023-06-30 and the
            # next starts on 2023-07-02, so no placement covers 2023-06-30 or 2023-07-01.
            episode("E3", "C3", "2022-01-01", county=ALAMEDA),
            # C4: turns 18 on 2023-06-30 and leaves care that day (emancipation), in Humboldt.
            episode("E4", "C4", "2020-01-01", "2023-06-30", "emancipation", county=HUMBOLDT),
            # C5: enters on 2023-06-30 into a placement with no setting.
            episode("E5", "C5", "2023-06-30"),
            # C6: pre-adoptive placement recorded as lasting all year, but a trial home visit
            # starts on 2023-06-01: the later placement takes over.
            episode("E6", "C6", "2023-02-01"),
            # C7: a one-day stay without placements, then another entry that ends in adoption.
            episode("E7a", "C7", "2023-01-05", "2023-01-06", "reunification"),
            episode("E7b", "C7", "2023-04-01", "2023-11-01", "adoption"),
            # C8: removed at 18 and discharged at 18: neither an entry nor an exit of a child.
            episode("E8", "C8", "2023-02-01", "2023-03-01", "emancipation"),
            # C9 and C10: ten days in each of two settings, then no placement recorded.
            episode("E9", "C9", "2023-09-01"),
            episode("E10", "C10", "2023-10-01"),
        ],
        placements=[
            placement("E1", "2023-01-10", "", "relative_foster"),
            placement("E1", "2023-06-30", "", "group_home"),
            placement("E2", "2023-03-01", "2023-04-15", "relative_foster"),
            placement("E2", "2023-04-15", "", "nonrelative_foster"),
            placement("E3", "2022-01-01", "2023-06-30", "nonrelative_foster"),
            placement("E3", "2023-07-02", "", "relative_foster"),
            placement("E4", "2020-01-01", "", "institution"),
            placement("E5", "2023-06-30", "", ""),
            placement("E6", "2023-02-01", "2023-12-31", "pre_adoptive"),
            placement("E6", "2023-06-01", "", "trial_home_visit"),
            placement("E7b", "2023-04-01", "", "relative_foster"),
            placement("E8", "2023-02-01", "", "group_home"),
            placement("E9", "2023-09-01", "2023-09-11", "institution"),
            placement("E9", "2023-09-11", "2023-09-21", "relative_foster"),
            placement("E10", "2023-10-01", "2023-10-11", "relative_foster"),
            placement("E10", "2023-10-11", "2023-10-21", "institution"),
        ],
        populations=[population(FRESNO, 2023, "white", 5, 100)],
    )


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[store.DuckDBData]:
    loaded = store.load_directory(hand_worked(tmp_path_factory.mktemp("stock_flow")))
    yield loaded
    loaded.close()


Cells = dict[tuple[str | None, ...], int | None]


def cells(data: store.DuckDBData, table: str, *, by: tuple[str, ...] = (),
          day: date | None = None, suppress: bool = False) -> Cells:
    """{(group values..., category): count} of one table, zero cells left out."""
    result = stock_flow.compute(data, parse_period(PERIOD), by=by, tables=[table], day=day,
                                suppress_cells=suppress)
    return {(*(value for _, value in row.groups), row.category): row.count
            for row in result.rows if row.count != 0}


def test_children_in_care_on_a_day_by_the_placement_covering_it(data: store.DuckDBData) -> None:
    # On 2023-06-30: C1 in the group home that starts that day; C2 and C4 left that day (not in
    # care); C3 between placements (none); C5 entered that day into a placement without setting
    # (unknown); C6 in the trial home visit that cut the pre-adoptive placement short; C7 in its
    # second episode, with a relative.
    assert cells(data, "in_care", day=date(2023, 6, 30)) == {
        ("relative_foster",): 1, ("group_home",): 1, ("trial_home_visit",): 1, ("unknown",): 1,
        ("none",): 1, ("total",): 5,
    }


def test_in_care_defaults_to_the_periods_last_day(data: store.DuckDBData) -> None:
    # On 2023-12-31: C1 group home, C3 relative (since 2023-07-02), C5 unknown, C6 trial home
    # visit; C9 and C10 in care with their last placement ended (none); C7 left in November.
    assert cells(data, "in_care") == {
        ("relative_foster",): 1, ("group_home",): 1, ("trial_home_visit",): 1, ("unknown",): 1,
        ("none",): 2, ("total",): 6,
    }
    (first,) = stock_flow.compute(data, parse_period(PERIOD), tables=["in_care"],
                                  suppress_cells=False).rows[:1]
    assert first.day == date(2023, 12, 31)


def test_entries_count_each_child_once_and_a_reentry_has_an_earlier_episode(
    data: store.DuckDBData,
) -> None:
    # First entries: C1, C5, C6, C7 (its one-day stay, once although it entered twice), C9,
    # C10. Re-entry: C2 (an episode in 2021). C8 entered at 18: not counted.
    assert cells(data, "entries") == {("first_entry",): 6, ("reentry",): 1, ("total",): 7}


def test_the_entries_total_is_the_entry_rate_numerator(data: store.DuckDBData) -> None:
    (rate,) = computing.compute(data, parse_period(PERIOD), measures=["entry_rate"],
                             suppress=False).rows
    assert rate.numerator == cells(data, "entries")[("total",)] == 7


def test_exits_by_reason_the_latest_exit_of_each_child(data: store.DuckDBData) -> None:
    # C2 reunified; C7 left twice, counted once at its latest exit (adoption); C4 emancipated
    # on its 18th birthday (counted: it was 17 on its last day in care); C8 left at 18 (not).
    assert cells(data, "exits") == {("reunification",): 1, ("adoption",): 1,
                                     ("emancipation",): 1, ("total",): 3}


def test_least_restrictive_first_placement_of_entries(data: store.DuckDBData) -> None:
    # C1 relative, C2 relative, C5 unknown, C6 pre-adoptive, C7's counted entry had no placement
    # (none), C9 institution, C10 relative.
    assert cells(data, "placement_first") == {
        ("relative_foster",): 3, ("pre_adoptive",): 1, ("institution",): 1, ("unknown",): 1,
        ("none",): 1, ("total",): 7,
    }


def test_least_restrictive_predominant_placement_and_its_tie_rule(
    data: store.DuckDBData,
) -> None:
    # Days up to 2024-01-01 (excluded) or discharge:
    # C1 relative 171 days (01-10..06-30), group home 185 (06-30..01-01) -> group home;
    # C2 relative 45 (03-01..04-15), non-relative 76 (..06-30) -> non-relative;
    # C5 unknown 185; C6 pre-adoptive 120 (02-01..06-01, cut at the visit's start), trial home
    # visit 214 -> trial home visit; C7 none;
    # C9 institution 10, relative 10: a tie, to the setting reached first -> institution;
    # C10 relative 10, institution 10 -> relative.
    assert cells(data, "placement_predominant") == {
        ("relative_foster",): 1, ("nonrelative_foster",): 1, ("group_home",): 1,
        ("institution",): 1, ("trial_home_visit",): 1, ("unknown",): 1, ("none",): 1,
        ("total",): 7,
    }


def test_the_all_county_table_lists_every_county_and_the_state_total(
    data: store.DuckDBData,
) -> None:
    got = cells(data, "in_care", by=("county",))
    # Humboldt has no child in care on 2023-12-31 but is a county of the data: a zero total.
    assert got == {
        (ALAMEDA, "relative_foster"): 1, (ALAMEDA, "total"): 1,
        (FRESNO, "group_home"): 1, (FRESNO, "trial_home_visit"): 1, (FRESNO, "unknown"): 1,
        (FRESNO, "none"): 2, (FRESNO, "total"): 5,
        ("total", "relative_foster"): 1, ("total", "group_home"): 1,
        ("total", "trial_home_visit"): 1, ("total", "unknown"): 1, ("total", "none"): 2,
        ("total", "total"): 6,
    }
    rows = stock_flow.compute(data, parse_period(PERIOD), by=("county",), tables=["in_care"],
                              suppress_cells=False).rows
    counties = [row.group("county") for row in rows if row.category == "total"]
    assert counties == [ALAMEDA, FRESNO, HUMBOLDT, "total"]
    # Each row of a county carries its share of the county's children.
    share = {(row.group("county"), row.category): row.share for row in rows}
    assert share[(FRESNO, "none")] == 2 / 5


def test_by_any_dimension_with_margins(data: store.DuckDBData) -> None:
    got = cells(data, "exits", by=("race_ethnicity", "age_band"))
    # C2 (black, 8 at discharge) reunification; C7 (white, 8) adoption;
    # C4 (white, 18 on the day, band 17) emancipation.
    assert got[("black", "6_10", "reunification")] == 1
    assert got[("white", "6_10", "adoption")] == 1
    assert got[("white", "17", "emancipation")] == 1
    assert got[("white", "total", "total")] == 2
    assert got[("total", "6_10", "total")] == 2
    assert got[("total", "total", "total")] == 3


def test_scope_keeps_only_the_counties_asked_for(data: store.DuckDBData) -> None:
    result = stock_flow.compute(data, parse_period(PERIOD), by=("county",), tables=["in_care"],
                                scope={"county": [ALAMEDA]}, suppress_cells=False)
    assert {row.group("county") for row in result.rows} == {ALAMEDA, "total"}
    assert [row.count for row in result.rows if row.groups == (("county", "total"),)
            and row.category == "total"] == [1]


def _rows(counts: dict[tuple[str, str], int]) -> list[stock_flow.CountRow]:
    params = MeasureParams.build(parse_period(PERIOD), ("county",))
    records = [{"county": county, "category": category, "count": count}
               for (county, category), count in counts.items()]
    return stock_flow.build_rows(stock_flow.TABLES["in_care"], params, records, None)


def test_suppression_protects_each_table_with_its_margins() -> None:
    # County A: group home 30, relative 4; county B: group home 20, relative 25.
    # A-relative (4) is small. Its county line then has one hidden cell, so A-group home (30, the
    # smallest shown) goes too; the relative line along counties likewise hides B-relative, and
    # the group-home line B-group home. Every margin stays: A 34, B 45, group home 50,
    # relative 29, 79; any one inner cell could be anything from 0 to 29.
    rows = stock_flow.suppress(_rows({("A", "group_home"): 30, ("A", "relative_foster"): 4,
                                      ("B", "group_home"): 20, ("B", "relative_foster"): 25}),
                               ("county",))
    shown = {(row.group("county"), row.category): row.count for row in rows
             if not row.suppressed and row.count}
    hidden = {(row.group("county"), row.category) for row in rows if row.suppressed}
    assert hidden == {("A", "group_home"), ("A", "relative_foster"), ("B", "group_home"),
                      ("B", "relative_foster")}
    assert shown == {("A", "total"): 34, ("B", "total"): 45, ("total", "group_home"): 50,
                     ("total", "relative_foster"): 29, ("total", "total"): 79}
    assert all(row.count is None and row.share is None for row in rows if row.suppressed)


def test_a_small_county_total_is_suppressed_with_what_would_reveal_it() -> None:
    # County A has 3 children (small): its group home cell and its total are hidden. Beside the
    # state's 43 each would then be 43 minus B's 40, so B's group home cell and total go too.
    rows = stock_flow.suppress(_rows({("A", "group_home"): 3, ("B", "group_home"): 40}),
                               ("county",))
    hidden = {(row.group("county"), row.category) for row in rows if row.suppressed and (
        row.category in ("group_home", "total"))}
    assert hidden == {("A", "group_home"), ("A", "total"), ("B", "group_home"), ("B", "total")}
    state = {row.category: row for row in rows if row.group("county") == "total"}
    assert not state["total"].suppressed
    assert state["total"].count == 43


def test_the_rows_shown_outside_the_analyst_role_are_suppressed(data: store.DuckDBData) -> None:
    got = cells(data, "entries", suppress=True)
    # 6 first entries and 1 re-entry are small: both hidden, and so is the total of 7.
    assert got == {("first_entry",): None, ("reentry",): None, ("total",): None}


def test_unknown_tables_and_dimensions_are_named(data: store.DuckDBData) -> None:
    with pytest.raises(computing.UsageError, match="unknown table happiness"):
        stock_flow.compute(data, parse_period(PERIOD), tables=["happiness"])
    with pytest.raises(computing.UsageError, match="unknown dimension planet"):
        stock_flow.compute(data, parse_period(PERIOD), by=["planet"])


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("outcomes", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_counts_command_prints_the_documented_columns(tmp_path: Path) -> None:
    directory = hand_worked(tmp_path / "data")
    text, _ = run("counts", "--data", str(directory), "--period", PERIOD, "--by", "county",
                  "--tables", "in_care,exits", "--date", "2023-06-30", "--no-suppress")
    lines = text.splitlines()
    assert lines[0] == ("table,period_start,period_end,date,county,category,count,share,"
                        "suppressed,data_quality")
    assert f"in_care,2023-01-01,2023-12-31,2023-06-30,{ALAMEDA},none,1,1.0,false,ok" in lines
    assert f"exits,2023-01-01,2023-12-31,,{HUMBOLDT},emancipation,1,1.0,false,ok" in lines
    assert "in_care,2023-01-01,2023-12-31,2023-06-30,total,total,5,1.0,false,ok" in lines
    suppressed, _ = run("counts", "--data", str(directory), "--period", PERIOD,
                        "--tables", "entries")
    assert "entries,2023-01-01,2023-12-31,,total,,,true,ok" in suppressed.splitlines()


def test_the_counts_command_writes_json_and_parquet(tmp_path: Path) -> None:
    directory = hand_worked(tmp_path / "data")
    arguments = ("counts", "--data", str(directory), "--period", PERIOD, "--tables", "exits",
                 "--no-suppress")
    text, _ = run(*arguments, "--format", "json")
    assert '"category": "adoption"' in text
    target = tmp_path / "exits.parquet"
    run(*arguments, "--format", "parquet", "--out", str(target))
    table = pq.read_table(target).to_pylist()
    assert {(row["category"], row["count"]) for row in table if row["count"]} == {
        ("reunification", 1), ("adoption", 1), ("emancipation", 1), ("total", 3)}


def test_the_counts_command_refuses_bad_input_with_usage_errors(tmp_path: Path) -> None:
    directory = hand_worked(tmp_path / "data")
    with pytest.raises(CommandError, match="unknown table stock") as caught:
        run("counts", "--data", str(directory), "--period", PERIOD, "--tables", "stock")
    assert caught.value.returncode == 2
    with pytest.raises(CommandError, match="not a date") as caught:
        run("counts", "--data", str(directory), "--period", PERIOD, "--date", "June")
    assert caught.value.returncode == 2
