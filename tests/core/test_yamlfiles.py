"""Every YAML file the platform reads goes through one reader: a duplicate key, an unreadable
value or broken YAML is named the same way, with its file and line, in each of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from practicehub.accounts.services.tree import TreeFileError, load_tree
from practicehub.assessments.services.instruments import parse_instrument_text
from practicehub.core.errors import Refused
from practicehub.core.yamlfiles import DataFileError, Problem, read_document
from practicehub.implementation.services.stages import parse_checklists
from practicehub.practice_model.services.loader import parse_model_text

DUPLICATE = "key: one\nname: x\nkey: two\n"
READERS: dict[str, Callable[[str, str], Any]] = {
    "practice model": parse_model_text,
    "stage checklists": parse_checklists,
    "instrument": parse_instrument_text,
}


@pytest.mark.parametrize("name", list(READERS))
def test_a_duplicate_key_is_named_with_both_lines(name: str) -> None:
    with pytest.raises(DataFileError) as refused:
        READERS[name](DUPLICATE, "file.yaml")
    assert "file.yaml:3: duplicate key 'key' (first on line 1)" in str(refused.value)


def test_the_organisation_tree_names_a_duplicate_key_the_same_way(db: None,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "tree.yaml"
    path.write_text("format: practicehub.org-tree/1\nnodes: []\nformat: again\n")
    with pytest.raises(TreeFileError) as refused:
        load_tree(path)
    assert refused.value.errors == [f"{path}:3: duplicate key 'format' (first on line 1)"]


def test_broken_yaml_names_the_line_the_parser_stopped_at() -> None:
    document, problems = read_document("a: 1\nb: [2,\n", "x.yaml")
    assert not document.parsed
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(3, "not valid YAML")]


def test_a_refused_file_is_a_refusal_with_located_problems() -> None:
    error = DataFileError([Problem("b.yaml", 2, "second"), Problem("a.yaml", 9, "first")])
    assert isinstance(error, Refused)
    assert str(error) == "a.yaml:9: first\nb.yaml:2: second"
    assert [(p.source, p.line, p.message) for p in error.located] == [
        ("a.yaml", 9, "first"), ("b.yaml", 2, "second")]
