"""The Ibis forms of the derived fields agree with the plain Python rules (§2)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practicehub.outcomes.engine import derived, periods

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


def _run(
    columns: Mapping[str, Sequence[object]], **expressions: Callable[[ir.Table], ir.Value]
) -> dict[str, list[object]]:
    table = ibis.memtable(columns)
    built = {name: make(table) for name, make in expressions.items()}
    result = table.select(**built).to_pyarrow().to_pydict()
    return {name: list(values) for name, values in result.items()}


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(days, st.integers(-400, 400), st.integers(0, 9000)), min_size=1,
                max_size=60))
def test_ibis_date_rules_equal_the_python_rules(cases: list[tuple[date, int, int]]) -> None:
    starts = [day for day, _, _ in cases]
    months = [n for _, n, _ in cases]
    later = [day + timedelta(days=gap) for day, _, gap in cases]
    result = _run(
        {"d": starts, "n": months, "e": later},
        shifted=lambda t: derived.add_months(t.d, t.n),
        year_on=lambda t: derived.add_months(t.d, 12),
        age=lambda t: derived.age_on(t.d, t.e),
        adult=lambda t: derived.eighteenth_birthday(t.d),
    )
    pairs = zip(starts, months, strict=True)
    assert result["shifted"] == [periods.add_months(d, n) for d, n in pairs]
    assert result["year_on"] == [periods.add_months(d, 12) for d in starts]
    assert result["age"] == [periods.age_on(d, e) for d, e in zip(starts, later, strict=True)]
    assert result["adult"] == [periods.eighteenth_birthday(d) for d in starts]


@pytest.mark.parametrize(
    ("flags", "hispanic", "expected"),
    [
        ({}, "yes", "hispanic"),
        ({"race_black": "yes", "race_white": "yes"}, "yes", "hispanic"),
        ({"race_aian": "yes"}, "no", "aian"),
        ({"race_asian": "yes"}, "unknown", "asian"),
        ({"race_black": "yes"}, "no", "black"),
        ({"race_nhopi": "yes"}, "no", "nhopi"),
        ({"race_white": "yes"}, "no", "white"),
        ({"race_black": "yes", "race_white": "yes"}, "no", "two_or_more"),
        ({"race_white": "unknown"}, "no", "unknown"),
        ({}, "unknown", "unknown"),
    ],
)
def test_race_ethnicity_follows_the_federal_profile_method(
    flags: dict[str, str], hispanic: str, expected: str
) -> None:
    row = {flag: [flags.get(flag, "no")] for flag in
           ("race_aian", "race_asian", "race_black", "race_nhopi", "race_white")}
    result = _run(row | {"hispanic": [hispanic]}, race=derived.race_ethnicity)
    assert result["race"] == [expected]


def test_age_bands_split_at_1_6_11_and_17() -> None:
    ages = [0, 1, 5, 6, 10, 11, 16, 17]
    result = _run({"age": ages}, band=lambda t: derived.age_band(t.age))
    assert result["band"] == ["under_1", "1_5", "1_5", "6_10", "6_10", "11_16", "11_16", "17"]


def test_a_child_is_in_care_from_removal_until_the_day_before_discharge() -> None:
    day = date(2023, 5, 10)
    result = _run(
        {"removal": [day, date(2023, 5, 11), date(2023, 1, 1), date(2023, 1, 1)],
         "discharge": [None, None, day, day + timedelta(days=1)]},
        in_care=lambda t: derived.in_care_on(t.removal, t.discharge, ibis.literal(day)),
    )
    assert result["in_care"] == [True, False, False, True]


def test_a_stay_is_short_below_8_days_and_never_while_open() -> None:
    start = date(2023, 1, 1)
    result = _run(
        {"removal": [start, start, start],
         "discharge": [start + timedelta(days=7), start + timedelta(days=8), None]},
        short=lambda t: derived.is_short_stay(t.removal, t.discharge),
    )
    assert result["short"] == [True, False, False]
