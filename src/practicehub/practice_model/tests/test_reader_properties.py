"""Whatever a person writes, the reader answers with a model or with located problems."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practicehub.practice_model.errors import ModelFileError, Problem
from practicehub.practice_model.services import load_model_text, parse_model_text
from practicehub.practice_model.tests.helpers import SMALL_MODEL, row_count

LINES = SMALL_MODEL.splitlines(keepends=True)


def problems_of(text: str) -> list[Problem]:
    """No problems when ``text`` is a valid model; any other exception fails the test."""
    try:
        parse_model_text(text, "model.yaml")
    except ModelFileError as exc:
        return exc.problems
    return []


def assert_problems_point_inside(text: str) -> None:
    last_line = max(len(text.splitlines()), 1)
    for problem in problems_of(text):
        assert problem.source == "model.yaml"
        assert problem.line is None or 1 <= problem.line <= last_line + 1
        assert problem.message


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_a_model_or_located_problems(text: str) -> None:
    assert_problems_point_inside(text)


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=len(LINES) - 1), min_size=1, max_size=6))
def test_a_model_with_lines_removed_gives_a_model_or_located_problems(gone: set[int]) -> None:
    assert_problems_point_inside("".join(line for n, line in enumerate(LINES) if n not in gone))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(LINES) - 1), st.sampled_from(
    ["  ", "- ", ": ", "[", "&a ", "*a ", "!!int ", "<<: *a\n", "\t", "yes", "~"]))
def test_a_model_with_junk_inserted_gives_a_model_or_located_problems(
    line: int, junk: str
) -> None:
    assert_problems_point_inside("".join(LINES[:line]) + junk + "".join(LINES[line:]))


VALUES = ["2025-13-45", "2025-02-30", "!!int", "!!int text", "!!float x", "!!binary ==",
          "!!timestamp 1",
          "1e999", "0o99", "[1, 2", "{}", "[]", "''", "null", "-1", "x" * 500, "*nowhere",
          "{a: {b: [c]}}", "yes"]
KEYED = [n for n, line in enumerate(LINES) if ": " in line]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(KEYED), st.sampled_from(VALUES))
def test_a_model_with_a_value_replaced_gives_a_model_or_located_problems(
    line: int, value: str
) -> None:
    key, _, _ = LINES[line].partition(": ")
    assert_problems_point_inside("".join([*LINES[:line], f"{key}: {value}\n", *LINES[line + 1:]]))


def test_an_impossible_date_is_a_located_problem() -> None:
    text = SMALL_MODEL.replace('version: "1"', "version: 2026-13-45")
    assert (4, "cannot read this value: '2026-13-45' is not a valid timestamp "
               "(month must be in 1..12)") in [(p.line, p.message) for p in problems_of(text)]


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(KEYED), st.sampled_from([*VALUES, "changed", "2"]))
def test_loading_a_broken_model_writes_nothing(line: int, value: str) -> None:
    key, _, _ = LINES[line].partition(": ")
    text = "".join([*LINES[:line], f"{key}: {value}\n", *LINES[line + 1:]])
    before = row_count()
    try:
        load_model_text(text, "model.yaml")
    except ModelFileError:
        assert row_count() == before, "a refused model wrote rows"
