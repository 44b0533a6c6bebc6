"""Entry rate and the §4 rates, disproportionality and disparity indices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.tests.builders import Tables, child, episode, measure, population

POPULATION = [
    population("06019", 2023, "white", 5, 1000),
    population("06019", 2023, "black", 5, 500),
    population("06019", 2023, "hispanic", 5, 500),
    population("06001", 2023, "white", 5, 2000),
    population("06019", 2022, "white", 5, 999_999),  # another year: never used for 2023
]


def _entries() -> Tables:
    """Fresno (06019) entries in 2023: 2 white, 4 Black (one entering twice), 1 Hispanic."""
    races = ["white", "white", "black", "black", "black", "black", "hispanic"]
    children = [child(f"C{n}", "2018-01-01", race=race) for n, race in enumerate(races)]
    episodes = [episode(f"E{n}", f"C{n}", "2023-03-01", "2023-04-01")
                for n in range(len(races))]
    episodes.append(episode("E2b", "C2", "2023-06-01"))
    children += [child("OLD", "2005-01-01"), child("EARLY", "2018-01-01")]
    episodes += [episode("E-OLD", "OLD", "2023-02-01"),  # 18 at removal
                 episode("E-EARLY", "EARLY", "2022-12-31")]  # before the period
    return {"children": children, "episodes": episodes, "populations": list(POPULATION)}


def _values(rows: list[ResultRow], *dims: str) -> dict[tuple[str | None, ...], float | None]:
    return {tuple(row.group(d) for d in dims): row.value for row in rows}


def test_the_entry_rate_counts_each_child_under_18_once_per_1000_children(
    tmp_path: Path,
) -> None:
    (row,) = measure(tmp_path, "entry_rate", **_entries())
    assert (row.numerator, row.denominator) == (7, 4000)
    assert row.value == 7 / 4000 * 1000


def test_entry_rate_groups_include_counties_with_population_but_no_entries(
    tmp_path: Path,
) -> None:
    rows = measure(tmp_path, "entry_rate", by=("county",), **_entries())
    assert {row.group("county"): (row.numerator, row.denominator) for row in rows} == {
        "06001": (0, 2000), "06019": (7, 2000),
    }


def test_rates_disproportionality_and_disparity_follow_ccwip(tmp_path: Path) -> None:
    tables = _entries()
    rates = _values(measure(tmp_path / "r", "rate_per_1000_entries", by=("race_ethnicity",),
                            **tables), "race_ethnicity")
    assert rates == {("black",): 8.0, ("hispanic",): 2.0, ("white",): pytest.approx(2 / 3)}
    shares = _values(measure(tmp_path / "d", "disproportionality_entries",
                             by=("race_ethnicity",), **tables), "race_ethnicity")
    assert shares == {("black",): pytest.approx((4 / 7) / (500 / 4000)),
                      ("hispanic",): pytest.approx((1 / 7) / (500 / 4000)),
                      ("white",): pytest.approx((2 / 7) / (3000 / 4000))}
    ratios = _values(measure(tmp_path / "x", "disparity_entries", by=("race_ethnicity",),
                             **tables), "race_ethnicity")
    assert ratios == {("black",): pytest.approx(12.0), ("hispanic",): pytest.approx(3.0),
                      ("white",): 1.0}


def test_indices_compare_groups_within_each_county(tmp_path: Path) -> None:
    rows = measure(tmp_path, "disparity_entries", by=("county", "race_ethnicity"), **_entries())
    assert _values(rows, "county", "race_ethnicity") == {
        ("06001", "white"): None,  # no white entries: no reference rate
        ("06019", "black"): pytest.approx(4.0),
        ("06019", "hispanic"): pytest.approx(1.0),
        ("06019", "white"): 1.0,
    }


def test_children_in_care_use_the_population_of_the_reference_year(tmp_path: Path) -> None:
    tables: Tables = {
        "children": [child("C1", "2015-01-01")],
        "episodes": [episode("E1", "C1", "2021-01-01")],
        "populations": [population("06019", 2023, "white", 5, 100),
                        population("06019", 2024, "white", 5, 400)],
    }
    (row,) = measure(tmp_path, "rate_per_1000_in_care", reference_date=date(2024, 3, 31),
                     **tables)
    assert (row.numerator, row.denominator, row.value) == (1, 400, 2.5)


def test_long_term_stage_counts_children_in_care_24_months_or_more(tmp_path: Path) -> None:
    tables: Tables = {
        "children": [child("C1", "2015-01-01"), child("C2", "2015-01-01")],
        "episodes": [episode("E1", "C1", "2021-01-01"), episode("E2", "C2", "2023-06-01")],
        "populations": [population("06019", 2023, "white", 8, 1000)],
    }
    (row,) = measure(tmp_path, "rate_per_1000_long_term_24m", **tables)
    assert (row.numerator, row.denominator, row.value) == (1, 1000, 1.0)
