"""A bad file is refused with every problem named by file and line, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practicehub.practice_model.errors import ModelFileError
from practicehub.practice_model.services import load_model_file, load_model_text
from practicehub.practice_model.tests.helpers import SMALL_MODEL, line_of, row_count

pytestmark = pytest.mark.django_db


def problems_of(text: str) -> list[str]:
    """The problems of loading ``text``, checking on the way that the database stays the same."""
    before = row_count()
    with pytest.raises(ModelFileError) as caught:
        load_model_text(text, "model.yaml")
    assert row_count() == before
    return [str(problem) for problem in caught.value.problems]


def test_the_small_model_loads_cleanly() -> None:
    result = load_model_text(SMALL_MODEL)
    assert result.version.ref == "small@1"


def test_it_names_the_line_where_the_yaml_breaks() -> None:
    text = SMALL_MODEL.replace("    name: Exploration\n", "    name: [Exploration\n")
    problems = problems_of(text)
    assert len(problems) == 1
    assert problems[0].startswith("model.yaml:")
    assert "not valid YAML" in problems[0]
    line = int(problems[0].split(":")[1])
    assert line_of(text, "name: [Exploration") <= line <= line_of(text, "name: [Exploration") + 2


def test_it_names_the_line_of_an_unknown_practice_reference() -> None:
    text = SMALL_MODEL.replace("    practice: PF\n    element: voice", "    practice: XX\n"
                               "    element: voice")
    assert problems_of(text) == [
        f"model.yaml:{line_of(text, 'practice: XX')}: behavior 'PF-1' names practice 'XX', "
        "which is not in practices",
    ]


def test_it_names_the_line_of_an_unknown_element_reference() -> None:
    text = SMALL_MODEL.replace("element: voice", "element: vioce")
    assert problems_of(text) == [
        f"model.yaml:{line_of(text, 'element: vioce')}: behavior 'PF-1' names element 'vioce', "
        "which is not in elements",
    ]


def test_it_names_the_line_of_a_duplicate_behavior_code() -> None:
    text = SMALL_MODEL.replace("  - code: PF-1\n", "  - code: EE-1\n")
    first = line_of(text, "code: EE-1")
    second = line_of(text, "code: EE-1", occurrence=2)
    assert problems_of(text) == [
        f"model.yaml:{second}: duplicate behavior code 'EE-1' (first used on line {first})",
    ]


def test_it_names_the_line_of_a_duplicate_principle_code_across_values() -> None:
    text = SMALL_MODEL.replace(
        "practices:\n",
        "  - code: safety\n    name: Safety\n    principles:\n"
        "      - code: family.1\n        text: Safe at home.\npractices:\n", 1,
    )
    assert problems_of(text) == [
        f"model.yaml:{line_of(text, 'code: family.1', 2)}: duplicate principle code 'family.1' "
        f"(first used on line {line_of(text, 'code: family.1')})",
    ]


def test_it_names_the_behavior_and_line_of_a_missing_required_field() -> None:
    text = SMALL_MODEL.replace("    text: Records the family's own words.\n", "")
    assert problems_of(text) == [
        f"model.yaml:{line_of(text, 'code: PF-1')}: behaviors[PF-1]: "
        "missing required field 'text'",
    ]


def test_it_names_the_line_of_a_duplicate_mapping_key() -> None:
    text = SMALL_MODEL.replace("    wording: local\n    descriptors:\n      high: Quotes",
                               "    wording: local\n    wording: official\n    descriptors:\n"
                               "      high: Quotes")
    assert problems_of(text) == [
        f"model.yaml:{line_of(text, 'wording: official')}: duplicate key 'wording' "
        f"(first on line {line_of(text, 'wording: official') - 1})",
    ]


def test_it_suggests_the_field_meant_by_a_misspelt_one() -> None:
    text = SMALL_MODEL.replace("    wording: local\ncapacity_areas", "    wordng: local\n"
                               "capacity_areas")
    problems = problems_of(text)
    assert f"model.yaml:{line_of(text, 'wordng')}: behaviors[LB-1].wordng: unknown field " \
           "'wordng' (did you mean 'wording'?)" in problems


def test_it_asks_for_quotes_around_a_version_that_yaml_reads_as_a_number() -> None:
    text = SMALL_MODEL.replace('version: "1"', "version: 2026.1")
    assert problems_of(text) == [
        f"model.yaml:{line_of(text, 'version: 2026.1')}: version: must be text, not the number "
        "2026.1; put it in quotes",
    ]


def test_it_requires_a_descriptor_for_every_profile_level_once_one_is_given() -> None:
    text = SMALL_MODEL.replace("      low: Never asks.\n", "      lo: Never asks.\n")
    assert problems_of(text) == [
        f"model.yaml:{line_of(text, 'descriptors:')}: behavior 'EE-1' has no descriptor for "
        "profile level 'low'",
        f"model.yaml:{line_of(text, 'lo: Never')}: behavior 'EE-1' has a descriptor for 'lo', "
        "which is not a profile level (levels: high, low)",
    ]


def test_it_refuses_an_element_whose_practice_differs_from_its_behaviors() -> None:
    text = SMALL_MODEL.replace("    practice: PF\n    element: voice",
                               "    practice: PF\n    element: inquiry")
    assert problems_of(text) == [
        f"model.yaml:{line_of(text, 'element: inquiry', 2)}: behavior 'PF-1' names practice "
        "'PF' but its element 'inquiry' belongs to practice 'EE'",
    ]


def test_it_lists_every_problem_at_once_in_file_order() -> None:
    text = (
        SMALL_MODEL.replace('version: "1"', "version: 1.0")
        .replace("  - code: PF-1\n", "  - code: EE-1\n")
        .replace("practices: [EE]", "practices: [QQ]")
        .replace("    text: Models the practice.\n", "")
    )
    problems = problems_of(text)
    assert len(problems) == 4
    lines = [int(problem.split(":")[1]) for problem in problems]
    assert lines == sorted(lines)
    assert "version: must be text" in problems[0]
    assert "duplicate behavior code 'EE-1'" in problems[1]
    assert "missing required field 'text'" in problems[2]
    assert "names practice 'QQ'" in problems[3]


def test_an_empty_file_is_refused() -> None:
    assert problems_of("") == ["model.yaml:1: the file is empty"]


def test_a_missing_file_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError) as caught:
        load_model_file(tmp_path / "absent.yaml")
    assert str(caught.value).startswith(f"{tmp_path / 'absent.yaml'}: cannot read the file")


def test_the_load_command_prints_each_problem_and_fails(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    text = SMALL_MODEL.replace("  - code: PF-1\n", "  - code: EE-1\n").replace(
        "practices: [EE]", "practices: [QQ]")
    path.write_text(text, encoding="utf-8")
    before = row_count()
    with pytest.raises(CommandError) as caught:
        call_command("model", "load", str(path), stderr=(err := _Buffer()))
    assert row_count() == before
    assert caught.value.returncode == 1
    assert "2 problems found; nothing was changed." in str(caught.value)
    assert f"{path}:{line_of(text, 'code: EE-1', 2)}: duplicate behavior code" in err.text
    assert f"{path}:{line_of(text, 'practices: [QQ]')}: systemic issue 'SI-1'" in err.text


class _Buffer:
    """Collects what a command writes to stderr."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        return None
