"""Whatever instrument file is loaded, it is stored whole or refused with problems that name the
file and line; never an unexpected exception, never a partial write."""

from __future__ import annotations

from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practicehub.assessments.models import Instrument
from practicehub.assessments.services.instruments import INSTRUMENT_DIR, load_instrument_text
from practicehub.practice_model.errors import ModelFileError, Problem
from practicehub.practice_model.services import load_shipped_models

SOURCE = "instrument.yaml"
FOLDER = resources.files("practicehub.assessments").joinpath(INSTRUMENT_DIR)
TEAM = FOLDER.joinpath("team-functioning.yaml").read_text(encoding="utf-8")
SYSTEM = FOLDER.joinpath("system-capacity.yaml").read_text(encoding="utf-8")
JUNK = ["  ", "- ", ": ", "[", "{", "&a ", "*a ", "!!int ", "!!binary ", "\t", "yes", "~",
        "2025-13-45", "0x1f", "1e999", ".nan", "null", "<<: *a\n", "{a: {b: [c]}}",
        "value: 1\n", "code: tf-1\n", "model: nope\n", "- {value: 3, label: Again}\n"]
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def problems_of(text: str) -> list[Problem]:
    """No problems when the file loaded; a refusal must leave the instruments as they were."""
    before = list(Instrument.objects.order_by("pk").values_list("pk", "key", "version", "spec"))
    try:
        load_instrument_text(text, SOURCE)
    except ModelFileError as refused:
        after = Instrument.objects.order_by("pk").values_list("pk", "key", "version", "spec")
        assert list(after) == before, "a refused instrument changed what is stored"
        return refused.problems
    return []


def assert_located(text: str) -> None:
    last_line = max(len(text.splitlines()), 1)
    for problem in problems_of(text):
        assert problem.source == SOURCE
        assert problem.line is None or 1 <= problem.line <= last_line + 1, problem
        assert problem.message


@pytest.fixture
def models(db: None) -> None:
    load_shipped_models()  # the system capacity instrument draws its sections from CFPM


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_gives_an_instrument_or_located_problems(text: str, models: None) -> None:
    assert_located(text)


@SETTINGS
@given(base=st.sampled_from([TEAM, SYSTEM]), data=st.data())
def test_an_instrument_with_lines_removed_gives_an_instrument_or_located_problems(
    base: str, data: st.DataObject, models: None,
) -> None:
    lines = base.splitlines(keepends=True)
    gone = data.draw(st.sets(st.integers(0, len(lines) - 1), min_size=1, max_size=5))
    assert_located("".join(line for n, line in enumerate(lines) if n not in gone))


@SETTINGS
@given(base=st.sampled_from([TEAM, SYSTEM]), data=st.data(), junk=st.sampled_from(JUNK))
def test_an_instrument_with_junk_inserted_gives_an_instrument_or_located_problems(
    base: str, data: st.DataObject, junk: str, models: None,
) -> None:
    lines = base.splitlines(keepends=True)
    line = data.draw(st.integers(0, len(lines) - 1))
    column = data.draw(st.integers(0, len(lines[line])))
    lines[line] = lines[line][:column] + junk + lines[line][column:]
    assert_located("".join(lines))


VALUES = ["2025-13-45", "2025-02-30", "!!int", "!!int text", "!!float x", "!!binary ==",
          "!!timestamp 1",
          "1e999", "0o99", "[1, 2", "{}", "[]", "''", "null", "-1", "x" * 500, "*nowhere"]


@SETTINGS
@given(base=st.sampled_from([TEAM, SYSTEM]), data=st.data(), value=st.sampled_from(VALUES))
def test_an_instrument_with_a_value_replaced_gives_an_instrument_or_located_problems(
    base: str, data: st.DataObject, value: str, models: None,
) -> None:
    lines = base.splitlines(keepends=True)
    keyed = [n for n, line in enumerate(lines)
             if ": " in line and not line.lstrip().startswith("#")]
    n = data.draw(st.sampled_from(keyed))
    key, _, _ = lines[n].partition(": ")
    lines[n] = f"{key}: {value}\n"
    assert_located("".join(lines))


def test_an_impossible_date_is_a_located_problem(models: None) -> None:
    text = TEAM.replace('version: "2026.1"', "version: 2026-13-45")
    assert [(p.line, p.message) for p in problems_of(text)] == [
        (4, "cannot read this value: '2026-13-45' is not a valid timestamp "
            "(month must be in 1..12)"),
        (4, "version: must be text, not nothing (the value is empty)")]


def test_braces_other_than_the_area_in_an_item_template_are_a_located_problem(
    models: None,
) -> None:
    text = SYSTEM.replace("supports the practice is reviewed",
                          "supports {the practice} is reviewed")
    line = next(n for n, row in enumerate(SYSTEM.splitlines(), start=1)
                if "supports the practice is reviewed" in row)
    assert [(p.line, p.message) for p in problems_of(text)] == [
        (line, "text: only {area} may appear in braces (write {{ and }} for a brace itself)")]


def test_a_section_without_items_is_a_located_problem(models: None) -> None:
    lines = TEAM.splitlines(keepends=True)
    start = next(n for n, row in enumerate(lines) if "name: Links with other teams" in row) + 1
    text = "".join(lines[:start] + lines[start + 4:])
    assert [(p.line, p.message) for p in problems_of(text)] == [
        (start - 1, "section 'linkage' lists no items")]


def test_a_version_longer_than_the_store_holds_is_a_located_problem(models: None) -> None:
    text = TEAM.replace('version: "2026.1"', f'version: "{"x" * 21}"')
    assert [(p.line, p.message) for p in problems_of(text)] == [
        (4, "version: is longer than 20 characters")]
