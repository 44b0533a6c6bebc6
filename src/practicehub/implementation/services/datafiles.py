"""Reading shipped YAML data files (stage checklists, assessment instruments) with the practice
model's line-keeping reader and schema messages, so every problem names its file and line."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from practicehub.practice_model.errors import ModelFileError, Problem
from practicehub.practice_model.services.schema import explain_schema_error, path_label
from practicehub.practice_model.services.source import Document, read_document

# Content checks beyond the schema (references, duplicates) return problems with lines.
ContentCheck = Callable[[Document], list[Problem]]


@cache
def schema_validator(package: str, filename: str) -> Draft202012Validator:
    text = resources.files(package).joinpath("schema", filename).read_text(encoding="utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problems(document: Document, validator: Draft202012Validator) -> list[Problem]:
    seen: set[tuple[Any, str]] = set()
    problems: list[Problem] = []
    for error in validator.iter_errors(document.data):
        for path, message in explain_schema_error(error):
            if (path, message) in seen:
                continue
            seen.add((path, message))
            label = path_label(document.data, path)
            problems.append(document.problem(path, f"{label}: {message}" if label else message))
    return problems


def parse_data_file(text: str, source: str, validator: Draft202012Validator,
                    check: ContentCheck | None = None) -> Document:
    """The checked document; raises ``ModelFileError`` listing every problem with its line."""
    document, problems = read_document(text, source)
    if document.parsed:
        problems += schema_problems(document, validator)
        if not problems and check is not None:
            problems += check(document)
    if problems:
        raise ModelFileError(problems)
    return document


def duplicate_codes(document: Document, items: Sequence[tuple[Sequence[str | int], str]],
                    what: str) -> list[Problem]:
    """A problem for each code used a second time, pointing at the repeat."""
    first: dict[str, Sequence[str | int]] = {}
    problems: list[Problem] = []
    for path, code in items:
        if code in first:
            line = document.line_of(first[code])
            problems.append(document.problem(path, f"{what} '{code}' is used twice "
                                                   f"(first on line {line})"))
        else:
            first[code] = path
    return problems
