"""Checking a model file against the JSON Schema, with messages a person can act on.

jsonschema reports each error at a path inside the data; the document maps that path back to a
line. Its own messages ("'x' is not of type 'string'") are rewritten to say what to do instead.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from practicehub.practice_model.errors import Problem
from practicehub.practice_model.services.source import Document, Path

SCHEMA_FILE = "practice-model.schema.json"

_SIMPLE_MESSAGES = {
    "maxLength": "is longer than {rule} characters",
    "minItems": "must list at least {rule} item(s)",
    "uniqueItems": "lists the same entry more than once",
    "minimum": "must be at least {rule}",
    "maximum": "must be at most {rule}",
}

_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "object": "a mapping of fields",
    "array": "a list",
}


@cache
def model_schema() -> dict[str, Any]:
    """The JSON Schema of one model version, as shipped in ``practice_model/schema``."""
    text = resources.files("practicehub.practice_model").joinpath("schema", SCHEMA_FILE)
    schema: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    schema = model_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def describe_value(value: Any) -> str:
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes, no, on and off as true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, dict):
        return "a mapping of fields"
    if isinstance(value, list):
        return "a list"
    return f"{value} ({type(value).__name__})"


def path_label(data: Any, path: Path) -> str:
    """``behaviors[EE-1].text``: list items are named by their code, else by position from 1."""
    label = ""
    node = data
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            code = item.get("code") if isinstance(item, dict) else None
            label += f"[{code}]" if isinstance(code, str) else f"[#{part + 1}]"
            node = item
        else:
            label += f".{part}" if label else part
            node = node.get(part) if isinstance(node, dict) else None
    return label


def _type_message(expected: str, value: Any) -> str:
    message = f"must be {_TYPE_NAMES.get(expected, expected)}, not {describe_value(value)}"
    if expected == "string" and isinstance(value, int | float | bool):
        message += "; put it in quotes"
    return message


def _pattern_message(pattern: str, value: Any, schema: Mapping[str, Any]) -> str:
    if pattern == r"\S":
        return "must not be blank"
    return f"{value!r} is not valid here; use {schema.get('description', 'text')}"


def _unknown_fields(
    path: Path, value: Any, schema: Mapping[str, Any]
) -> Iterator[tuple[Path, str]]:
    known = list(schema.get("properties", {}))
    for name in value:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield (*path, name), f"unknown field '{name}'{hint}"


def explain_schema_error(error: ValidationError) -> Iterator[tuple[Path, str]]:
    """(path, message) pairs for one schema error; some errors name several fields."""
    path: Path = tuple(error.absolute_path)
    kind = error.validator
    # jsonschema types these as possibly unset; on a reported error they are always set.
    rule: Any = error.validator_value
    value: Any = error.instance
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if kind == "required":
        for name in rule:
            if isinstance(value, dict) and name not in value:
                yield path, f"missing required field '{name}'"
    elif kind == "additionalProperties":
        yield from _unknown_fields(path, value, schema)
    elif kind == "type":
        yield path, _type_message(str(rule), value)
    elif kind == "enum":
        yield path, f"must be one of {', '.join(map(str, rule))}, not {describe_value(value)}"
    elif kind == "const":
        yield path, f"must be {rule}, not {describe_value(value)}"
    elif kind == "pattern":
        yield path, _pattern_message(str(rule), value, schema)
    else:
        yield path, _SIMPLE_MESSAGES.get(str(kind), "{message}").format(
            rule=rule, message=error.message
        )


def schema_problems(document: Document) -> list[Problem]:
    """Every way the document breaks the schema, each with its line, without repeats."""
    seen: set[tuple[Path, str]] = set()
    problems: list[Problem] = []
    for error in _validator().iter_errors(document.data):
        for path, message in explain_schema_error(error):
            if (path, message) in seen:
                continue
            seen.add((path, message))
            label = path_label(document.data, path)
            text = f"{label}: {message}" if label else message
            problems.append(document.problem(path, text))
    return problems
