"""Whatever a person writes, the reader answers with a model or with located problems."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from practicehub.practice_model.errors import ModelFileError, Problem
from practicehub.practice_model.services import parse_model_text
from practicehub.practice_model.tests.helpers import SMALL_MODEL

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
