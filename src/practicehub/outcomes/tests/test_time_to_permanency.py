"""Time to permanency: Kaplan–Meier and Aalen–Johansen worked by hand, grouping, suppression,
the same curves on PostgreSQL, and the ``time-to-permanency`` command.

A month is 365.25 / 12 = 30.4375 days, so month m of a curve ends on day 30.4375 × m and the
horizons are days 365.25, 730.5 and 1095.75.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any, Unpack

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.engine import computing
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.engine.time_to_permanency import (
    EXIT_TYPES,
    HORIZONS_MONTHS,
    MONTH_DAYS,
    PermanencyCurve,
    compute,
)
from practicehub.outcomes.tests import test_backends
from practicehub.outcomes.tests.builders import (
    Row,
    Tables,
    child,
    episode,
    placement,
    write_data,
)

PERIOD = "2023-01-01:2023-12-31"
REFERENCE = date(2024, 3, 1)  # 425 days after 2023-01-01
JAN_1 = date(2023, 1, 1)

# The fixtures of the backend tests: the same data sets in DuckDB and in a PostgreSQL schema.
datasets = test_backends.datasets
postgres = test_backends.postgres


def curves(directory: Path, *, by: Sequence[str] = (), reference: date | None = REFERENCE,
           suppress: bool = False, **tables: Unpack[Tables]) -> list[PermanencyCurve]:
    write_data(directory, **tables)
    data = store.load_directory(directory)
    try:
        return compute(data, parse_period(PERIOD), by=by, reference_date=reference,
                       suppress=suppress)
    finally:
        data.close()


def _iso(day: date) -> str:
    return day.isoformat()


def leaves(n: int, days: int, reason: str, *, removed: date = JAN_1,
           office: str = "north") -> Row:
    """Episode E<n> of child C<n>, discharged ``days`` days after its removal."""
    return episode(f"E{n}", f"C{n}", _iso(removed), _iso(removed + timedelta(days=days)), reason,
                   office=office)


def in_care_for(n: int, days: int, *, office: str = "north") -> Row:
    """Episode E<n> of child C<n>, still in care, removed ``days`` days before REFERENCE."""
    return episode(f"E{n}", f"C{n}", _iso(REFERENCE - timedelta(days=days)), office=office)


def kids(episodes: Sequence[Row]) -> list[Row]:
    return [child(row["child_id"]) for row in episodes]


def point(curve: PermanencyCurve, month: int) -> float:
    (found,) = [p.permanency for p in curve.points if p.month == month]
    return found


def test_kaplan_meier_with_censoring_worked_by_hand(tmp_path: Path) -> None:
    episodes = [
        leaves(1, 60, "reunification"),
        in_care_for(2, 122),
        leaves(3, 200, "adoption"),
        in_care_for(4, 214),
        leaves(5, 300, "guardianship"),
        in_care_for(6, 300),  # censored on the day of an exit: still at risk that day
        in_care_for(7, 425),
    ]
    # day  at risk  exits  S(t)
    #  60     7       1    6/7
    # 122 one censored, 5 left
    # 200     5       1    6/7 × 4/5 = 24/35 (0.686)
    # 214 one censored, 3 left
    # 300     3       1    24/35 × 2/3 = 16/35 (0.457) → the median: day 300 = 9.856 months
    # 300 one censored, 425 the last one censored.
    (curve,) = curves(tmp_path, children=kids(episodes), episodes=episodes)
    assert (curve.cohort, curve.permanent, curve.suppressed) == (7, 3, False)
    assert curve.median_months == pytest.approx(300 / 30.4375)
    # The longest follow-up, 425 days, covers 13 whole months (14 would be 426.1 days).
    assert [p.month for p in curve.points] == list(range(14))
    expected = {0: Fraction(0), 1: Fraction(0), 2: Fraction(1, 7), 6: Fraction(1, 7),
                7: Fraction(11, 35), 9: Fraction(11, 35), 10: Fraction(19, 35),
                13: Fraction(19, 35)}
    assert {m: point(curve, m) for m in expected} == pytest.approx(
        {m: float(v) for m, v in expected.items()})
    # Without competing exits the incidences add up to 1 − S: 1/7 + 6/35 + 8/35 = 19/35.
    assert curve.incidence[12] == pytest.approx(
        {"reunification": 1 / 7, "relative": 0, "guardianship": 8 / 35, "adoption": 6 / 35,
         "other": 0})
    assert sum(curve.incidence[12].values()) == pytest.approx(point(curve, 12))
    # 24 and 36 months lie beyond the longest follow-up with a child still in care.
    assert set(curve.incidence) == {12}


def test_aalen_johansen_with_competing_exits_worked_by_hand(tmp_path: Path) -> None:
    episodes = [
        leaves(1, 100, "reunification"),
        leaves(2, 100, "runaway"),
        in_care_for(3, 120),
        leaves(4, 150, "transfer"),
        leaves(5, 200, "adoption"),
        leaves(6, 250, "death"),
        leaves(7, 300, "reunification"),
        in_care_for(8, 425),
    ]
    # day  at risk  exits            in care before  incidence added
    # 100     8     reunif + other   1               1/8 each        → in care 6/8
    # 120 one censored, 5 left
    # 150     5     other            3/4             3/20            → 3/5
    # 200     4     adoption         3/5             3/20            → 9/20
    # 250     3     other            9/20            3/20            → 3/10
    # 300     2     reunif           3/10            3/20            → 3/20
    (curve,) = curves(tmp_path, children=kids(episodes), episodes=episodes)
    at_12 = curve.incidence[12]
    assert at_12 == pytest.approx({"reunification": 11 / 40, "relative": 0, "guardianship": 0,
                                   "adoption": 3 / 20, "other": 17 / 40})
    assert sum(at_12.values()) == pytest.approx(1 - 3 / 20)
    # Kaplan–Meier treats the other exits as censoring: S = 7/8 × 3/4 × 1/2 = 21/64, so it
    # overstates permanency (43/64) against the incidence with competing exits (17/40).
    assert point(curve, 12) == pytest.approx(43 / 64)
    permanency_incidence = sum(at_12[kind] for kind in EXIT_TYPES[:4])
    assert permanency_incidence == pytest.approx(17 / 40)
    assert curve.median_months == pytest.approx(300 / MONTH_DAYS)
    assert curve.permanent == 3


def test_incidence_stays_within_one_and_grows_with_the_horizon(tmp_path: Path) -> None:
    synthetic.generate(tmp_path / "synthetic", 1500, 11)
    data = store.load_directory(tmp_path / "synthetic")
    try:
        (curve,) = compute(data, parse_period("2021-01-01:2021-12-31"), suppress=False)
    finally:
        data.close()
    assert (curve.cohort or 0) > 100
    assert set(curve.incidence) == set(HORIZONS_MONTHS)
    for months, by_type in curve.incidence.items():
        assert set(by_type) == set(EXIT_TYPES)
        assert 0 <= sum(by_type.values()) <= 1 + 1e-12, months
    # Cumulative: each exit type's incidence can only grow with the horizon.
    for kind in EXIT_TYPES:
        assert curve.incidence[12][kind] <= curve.incidence[24][kind] <= curve.incidence[36][kind]
    permanency = [p.permanency for p in curve.points]
    assert permanency == sorted(permanency)


def test_a_trial_home_visit_counts_for_its_first_30_days_only(tmp_path: Path) -> None:
    episodes = [
        # Home from day 31 (1 February), reunified on day 151: counts on day 61 (3 March).
        leaves(1, 151, "reunification", office="thv_120_days"),
        # Home from day 59 (1 March) for exactly 30 days: counts on its own day 89.
        leaves(2, 89, "reunification", office="thv_30_days"),
    ]
    placements = [placement("E1", "2023-01-01", "2023-02-01"),
                  placement("E1", "2023-02-01", "2023-06-01", "trial_home_visit"),
                  placement("E2", "2023-01-01", "2023-03-01"),
                  placement("E2", "2023-03-01", "2023-03-31", "trial_home_visit")]
    long_visit, exact_visit = curves(tmp_path, by=("office",), children=kids(episodes),
                                     episodes=episodes, placements=placements)
    assert long_visit.groups == (("office", "thv_120_days"),)
    assert long_visit.median_months == pytest.approx(61 / MONTH_DAYS)
    assert exact_visit.median_months == pytest.approx(89 / MONTH_DAYS)
    # Month 2 ends on day 60.9, month 3 on day 91.3 (day 151 would fall in month 5).
    assert [point(long_visit, m) for m in (2, 3)] == [0.0, 1.0]


def test_a_child_turning_18_in_care_is_an_other_exit(tmp_path: Path) -> None:
    children = [child(f"C{n}", "2005-06-30") for n in (1, 2, 3)]
    episodes = [
        leaves(1, 179, "reunification"),  # 29 June, the day before the 18th birthday
        episode("E2", "C2", "2023-01-01"),  # still in care on 30 June, day 180
        leaves(3, 195, "reunification"),  # reunified after turning 18: aged out first
    ]
    (curve,) = curves(tmp_path, children=children, episodes=episodes)
    # day 179: 3 at risk, 1 reunified → 1/3; day 180: 2 at risk, both age out → 2/3 × 2/2.
    expected = {"reunification": 1 / 3, "relative": 0, "guardianship": 0, "adoption": 0,
                "other": 2 / 3}
    # Every child has left care, so every horizon is known although the longest stay is 180 days.
    assert curve.incidence == {months: pytest.approx(expected) for months in HORIZONS_MONTHS}
    assert len(curve.points) == 61
    assert curve.permanent == 1
    assert curve.median_months is None  # KM: S = 2/3 after day 179, then only censoring


def test_exits_after_the_reference_date_are_not_yet_known(tmp_path: Path) -> None:
    episodes = [leaves(1, 100, "adoption"), leaves(2, 400, "adoption")]
    (curve,) = curves(tmp_path, reference=date(2023, 6, 30), children=kids(episodes),
                      episodes=episodes)
    # 30 June is day 180: the second adoption, on day 400, is censored there.
    assert (curve.cohort, curve.permanent) == (2, 1)
    assert [p.month for p in curve.points][-1] == 5  # 180 days = 5.9 months
    (later,) = curves(tmp_path / "later", reference=None, children=kids(episodes),
                      episodes=episodes)
    # By default the reference is the latest date in the data, the second adoption's day.
    assert later.permanent == 2
    assert later.median_months == pytest.approx(100 / MONTH_DAYS)


def test_the_cohort_is_p1s_and_groups_add_up_to_the_total(tmp_path: Path) -> None:
    synthetic.generate(tmp_path / "synthetic", 1500, 3)
    data = store.load_directory(tmp_path / "synthetic")
    period = parse_period("23A23B")
    try:
        (total,) = compute(data, period, suppress=False)
        p1 = computing.compute(data, period, measures=["permanency_12m_entries"], suppress=False)
        by_county = compute(data, period, by=("county", "sex"), suppress=False)
        fresno = compute(data, period, scope={"county": ["06019"]}, suppress=False)
    finally:
        data.close()
    assert total.cohort == p1.rows[0].denominator
    assert sum(curve.cohort or 0 for curve in by_county) == total.cohort
    assert sum(curve.permanent or 0 for curve in by_county) == total.permanent
    fresno_cohort = sum(curve.cohort or 0 for curve in by_county
                        if dict(curve.groups)["county"] == "06019")
    assert fresno[0].cohort == fresno_cohort


def test_small_groups_are_suppressed_with_the_next_smallest(tmp_path: Path) -> None:
    sizes = {"big": 15, "mid": 12, "small": 4, "larger": 20}
    episodes: list[Row] = []
    for office, size in sizes.items():
        start = len(episodes)
        episodes += [leaves(start + n, 100, "reunification", office=office)
                     for n in range(size)]
    shown = {dict(curve.groups)["office"]: curve
             for curve in curves(tmp_path, by=("office",), suppress=True,
                                 children=kids(episodes), episodes=episodes)}
    # "small" has 4 children; alone it would be the total minus the others, so "mid" goes too.
    assert {office for office, curve in shown.items() if curve.suppressed} == {"small", "mid"}
    assert shown["small"] == PermanencyCurve((("office", "small"),), None, None, None, (), {},
                                             suppressed=True)
    assert (shown["big"].cohort, shown["larger"].cohort) == (15, 20)


def test_an_unknown_dimension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(computing.UsageError, match="unknown dimension"):
        curves(tmp_path, by=("shoe_size",), children=[], episodes=[])


def test_without_a_cohort_there_is_one_empty_curve(tmp_path: Path) -> None:
    (curve,) = curves(tmp_path, children=[], episodes=[])
    assert curve == PermanencyCurve((), 0, 0, None, (), {}, suppressed=False)


# --- PostgreSQL ------------------------------------------------------------------------------


def _same_curves(expected: list[PermanencyCurve], got: list[PermanencyCurve]) -> None:
    assert [(c.groups, c.cohort, c.permanent) for c in got] == [
        (c.groups, c.cohort, c.permanent) for c in expected]
    for want, have in zip(expected, got, strict=True):
        assert (want.median_months is None) == (have.median_months is None)
        if want.median_months is not None:
            assert math.isclose(want.median_months, have.median_months or 0, rel_tol=1e-9)
        assert [p.month for p in want.points] == [p.month for p in have.points]
        assert [p.permanency for p in have.points] == pytest.approx(
            [p.permanency for p in want.points], rel=1e-9, abs=1e-12)
        assert have.incidence.keys() == want.incidence.keys()
        for months, by_type in want.incidence.items():
            assert have.incidence[months] == pytest.approx(by_type, rel=1e-9, abs=1e-12)


@test_backends.needs_postgres
@test_backends.uses_test_database
@pytest.mark.parametrize("by", test_backends.GROUPINGS, ids=lambda by: "-".join(by) or "total")
def test_postgres_gives_duckdbs_curves(
    datasets: dict[str, store.DuckDBData], postgres: dict[str, computing.IbisRunner],
    by: tuple[str, ...],
) -> None:
    cases = [("synthetic", "23A23B"), ("synthetic", "2021-01-01:2021-12-31"),
             ("hand_built", test_backends.HAND_BUILT_PERIOD)]
    for name, period in cases:
        arguments: dict[str, Any] = {"by": by, "suppress": False}
        expected = compute(datasets[name], parse_period(period), **arguments)
        assert any(curve.permanent for curve in expected), (name, period)
        _same_curves(expected, compute(postgres[name], parse_period(period), **arguments))


# --- the command -----------------------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("outcomes", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def offices(tmp_path: Path) -> Path:
    """North: 12 children, 6 reunified on day 100, 6 still in care; south: 3 adopted."""
    north = [leaves(n, 100, "reunification") if n < 6 else in_care_for(n, 425)
             for n in range(12)]
    south = [leaves(n, 50, "adoption", office="south") for n in range(12, 15)]
    return write_data(tmp_path / "data", children=kids(north + south), episodes=north + south)


COLUMNS = ["period_start", "period_end", "office", "horizon_months", "cohort", "permanent",
           "median_months", "permanency_km", *EXIT_TYPES, "suppressed"]


def test_the_command_prints_one_row_per_group_and_horizon(offices: Path) -> None:
    out = run("time-to-permanency", "--data", str(offices), "--period", PERIOD, "--by",
              "office", "--reference-date", "2024-03-01", "--no-suppress")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == COLUMNS
    body = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [(row["office"], row["horizon_months"]) for row in body] == [
        ("north", "12"), ("north", "24"), ("north", "36"),
        ("south", "12"), ("south", "24"), ("south", "36")]
    north_12 = body[0]
    assert north_12 | {"median_months": ""} == {
        "period_start": "2023-01-01", "period_end": "2023-12-31", "office": "north",
        "horizon_months": "12", "cohort": "12", "permanent": "6", "median_months": "",
        "permanency_km": "0.5", "reunification": "0.5", "relative": "0.0",
        "guardianship": "0.0", "adoption": "0.0", "other": "0.0", "suppressed": "false"}
    assert float(north_12["median_months"]) == pytest.approx(100 / MONTH_DAYS)
    # North's follow-up ends at 425 days with children in care: no estimate at 24 months.
    assert body[1]["reunification"] == body[1]["permanency_km"] == ""
    assert body[1]["cohort"] == "12"
    # South: everyone adopted, so every horizon is known.
    assert body[5]["adoption"] == "1.0"


def test_the_command_suppresses_small_groups_and_writes_json(offices: Path,
                                                             tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    run("time-to-permanency", "--data", str(offices), "--period", PERIOD, "--by", "office",
        "--format", "json", "--out", str(target))
    records = json.loads(target.read_text(encoding="utf-8"))
    assert len(records) == 6
    # South's 3 children are suppressed, and so is north, or it would give south away.
    assert all(record["suppressed"] for record in records)
    assert {record["cohort"] for record in records} == {None}
    # The total: 15 children, but only 9 permanency exits, a count of 1–10, from which the whole
    # curve derives; suppressed too, and shown with --no-suppress.
    out = run("time-to-permanency", "--data", str(offices), "--period", PERIOD)
    (header, *body) = out.splitlines()
    assert header == ",".join(column for column in COLUMNS if column != "office")
    assert [line.split(",")[3] for line in body] == [""] * 3
    assert [line.split(",")[-1] for line in body] == ["true"] * 3
    shown = run("time-to-permanency", "--data", str(offices), "--period", PERIOD, "--no-suppress")
    assert [line.split(",")[3:5] for line in shown.splitlines()[1:]] == [["15", "9"]] * 3


def test_the_command_refuses_an_unknown_dimension(offices: Path) -> None:
    with pytest.raises(CommandError, match="unknown dimension"):
        run("time-to-permanency", "--data", str(offices), "--period", PERIOD, "--by", "shoe")
