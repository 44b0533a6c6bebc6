"""Small-cell suppression (§5): primary, derived and complementary."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.engine.suppression import THRESHOLD, suppress, suppression_mask

START, END = date(2023, 1, 1), date(2023, 12, 31)


def row(numerator: int, denominator: int = 1000, measure: str = "permanency_12m_entries",
        **groups: str) -> ResultRow:
    return ResultRow(measure, START, END, tuple(groups.items()), numerator, denominator,
                     numerator / denominator, 0.0, 1.0)


def test_counts_from_1_to_10_are_suppressed_and_0_and_11_are_shown() -> None:
    rows = [row(n, county=f"c{n}") for n in (0, 1, 10, 11, 500)]
    mask = suppression_mask(rows, ())  # no grouping: each row stands alone
    assert mask == [False, True, True, False, False]


def test_a_small_denominator_is_suppressed_too() -> None:
    assert suppression_mask([row(0, 7)], ()) == [True]


def test_a_suppressed_row_loses_its_counts_and_everything_derived() -> None:
    (hidden,) = suppress([row(3)], ())
    assert hidden.suppressed
    assert (hidden.numerator, hidden.denominator, hidden.value, hidden.ci_low,
            hidden.ci_high) == (None, None, None, None, None)


def test_one_suppressed_county_takes_the_smallest_other_with_it() -> None:
    rows = [row(4, county="a"), row(40, county="b"), row(30, county="c"), row(90, county="d")]
    assert suppression_mask(rows, ("county",)) == [True, False, True, False]


def test_suppressed_counts_adding_to_less_than_11_take_one_more() -> None:
    rows = [row(2, county="a"), row(3, county="b"), row(50, county="c"), row(60, county="d")]
    assert suppression_mask(rows, ("county",)) == [True, True, True, False]


def test_zero_cells_are_not_chosen_while_a_non_zero_one_can_be() -> None:
    rows = [row(5, county="a"), row(0, county="b"), row(20, county="c"), row(30, county="d")]
    assert suppression_mask(rows, ("county",)) == [True, False, True, False]


def test_every_line_of_a_two_way_table_is_protected() -> None:
    rows = [
        row(5, county="a", sex="female"), row(50, county="a", sex="male"),
        row(40, county="b", sex="female"), row(60, county="b", sex="male"),
    ]
    # a/female is primary; its county line takes a/male, its sex line b/female; then the male
    # line has a/male alone and takes b/male.
    assert suppression_mask(rows, ("county", "sex")) == [True, True, True, True]


def test_each_measure_is_its_own_table() -> None:
    rows = [row(5, county="a"), row(50, county="b"),
            row(50, county="a", measure="reentry_12m"), row(60, county="b", measure="reentry_12m")]
    assert suppression_mask(rows, ("county",)) == [True, True, False, False]


def test_a_disparity_index_is_suppressed_with_the_white_rate_it_divides_by() -> None:
    rows = [row(5, measure="disparity_entries", race_ethnicity="white"),
            row(40, measure="disparity_entries", race_ethnicity="black"),
            row(60, measure="disparity_entries", race_ethnicity="hispanic")]
    assert suppression_mask(rows, ("race_ethnicity",)) == [True, True, True]


def test_suppression_does_not_change_its_input() -> None:
    rows = [row(3, county="a"), row(30, county="b")]
    suppress(rows, ("county",))
    assert rows[0].numerator == 3


cells = st.integers(min_value=0, max_value=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=5),
       st.booleans())
def test_no_suppressed_cell_can_be_recovered_by_subtraction(
    grid: list[list[int]], two_way: bool
) -> None:
    by = ("county", "sex") if two_way else ("county",)
    rows = [
        row(value, value * 10 + 20, county=f"c{i}", **({"sex": f"s{j}"} if two_way else {}))
        for i, line in enumerate(grid) for j, value in enumerate(line)
        if two_way or j == 0
    ]
    mask = suppression_mask(rows, by)
    for position, item in enumerate(rows):
        if item.numerator is not None and 1 <= item.numerator <= THRESHOLD:
            assert mask[position]
    for along in by:
        lines: dict[tuple[str | None, ...], list[int]] = defaultdict(list)
        for position, item in enumerate(rows):
            lines[tuple(item.group(d) for d in by if d != along)].append(position)
        for line in lines.values():
            hidden = [p for p in line if mask[p]]
            if len(line) < 2 or not hidden or len(hidden) == len(line):
                continue
            # Total minus the shown cells gives only the sum of two or more hidden cells...
            assert len(hidden) >= 2
            # ...and that sum is not small enough to pin each of them down.
            hidden_sum = sum(rows[p].numerator or 0 for p in hidden)
            assert hidden_sum == 0 or hidden_sum > THRESHOLD
