"""Reading a YAML data file into plain data while remembering the line of every field, and
checking it against a JSON Schema with messages a person can act on.

PyYAML's composer keeps each node's position; building the data from the node tree ourselves lets
every later check (schema, references, duplicates) point at the line a person has to fix, and
lets duplicate keys be reported instead of silently keeping the last one. jsonschema reports each
error at a path inside the data; the document maps that path back to a line, and its own messages
("'x' is not of type 'string'") are rewritten to say what to do instead.

Practice models, stage checklists, assessment instruments and the organisation tree are read
this way, so a problem in any of them is named the same way: file, line, what to fix.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from practicehub.core.errors import Located, Refused


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file: where (file and line) and what."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


class DataFileError(Refused):
    """A data file cannot be loaded; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.source, p.line or 0, p.message))
        super().__init__("\n".join(str(problem) for problem in self.problems),
                         [Located(p.message, line=p.line, source=p.source)
                          for p in self.problems])


PathPart = str | int
Path = tuple[PathPart, ...]

_MERGE_TAG = "tag:yaml.org,2002:merge"
# What constructing a scalar raises besides YAMLError (e.g. "month must be in 1..12").
_VALUE_ERRORS = (ValueError, TypeError, AttributeError, LookupError, OverflowError)


@dataclass
class Document:
    """The data of one file, with the line each field or list item starts on."""

    source: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    parsed: bool = False

    def line_of(self, path: Sequence[PathPart]) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        current = tuple(path)
        while current and current not in self.lines:
            current = current[:-1]
        return self.lines.get(current)

    def problem(self, path: Sequence[PathPart], message: str) -> Problem:
        return Problem(self.source, self.line_of(path), message)


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, document: Document) -> None:
        self.loader = loader
        self.document = document
        self.problems: list[Problem] = []
        # Nodes being built right now: an alias pointing back into one of them would never end.
        self.open_nodes: set[int] = set()

    def report(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.document.source, node.start_mark.line + 1, message))

    def build(self, node: Node, path: Path) -> Any:
        self.document.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self.open_nodes:
            self.report(node, "an alias refers to the block that contains it")
            return None
        self.open_nodes.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self.mapping(node, path)
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            return self.scalar(node)
        finally:
            self.open_nodes.discard(id(node))

    def scalar(self, node: Node) -> Any:
        try:
            return self.loader.construct_object(node)
        except yaml.YAMLError as exc:
            self.report(node, f"cannot read this value: {getattr(exc, 'problem', exc)}")
        except _VALUE_ERRORS as exc:
            # An impossible date, or a tag such as !!int on text: YAML's reader gives up with
            # a plain error, which is a problem of this line, not a crash.
            kind = str(node.tag).rsplit(":", 1)[-1]
            self.report(node, f"cannot read this value: '{node.value}' is not a valid {kind} "
                              f"({exc or type(exc).__name__})")
        return None

    def mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                self.report(key_node, "merge keys (<<) are not supported; write the fields out")
                continue
            if not isinstance(key_node, ScalarNode):
                self.report(key_node, "a key must be plain text, not a list or mapping")
                continue
            # The key as written, so "3:" or "yes:" stay the text a person typed.
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in first_lines:
                self.report(key_node, f"duplicate key '{key}' (first on line {first_lines[key]})")
            else:
                first_lines[key] = line
            self.document.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key))
        return result


def _yaml_problem(text: str, source: str, exc: yaml.YAMLError) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):
        # Raised before parsing starts, so it has a character position instead of a mark.
        line = text.count("\n", 0, exc.position) + 1
        return Problem(source, line, f"not valid YAML: character {exc.character!r} {exc.reason}")
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"not valid YAML: {problem}" + (f" ({context})" if context else "")
    return Problem(source, mark.line + 1 if mark is not None else None, message)


def read_document(text: str, source: str) -> tuple[Document, list[Problem]]:
    """Build the data of ``text``; problems found on the way come back with it.

    When the YAML cannot be parsed at all, ``parsed`` stays false and the one problem names the
    line the parser stopped at.
    """
    document = Document(source=source, data=None)
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as exc:
        return document, [_yaml_problem(text, source, exc)]
    try:
        root = loader.get_single_node()
        if root is None:
            return document, [Problem(source, 1, "the file is empty")]
        builder = _Builder(loader, document)
        document.data = builder.build(root, ())
        document.parsed = True
        return document, builder.problems
    except yaml.YAMLError as exc:
        return document, [_yaml_problem(text, source, exc)]
    finally:
        loader.dispose()


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


def schema_problems(document: Document, validator: Draft202012Validator) -> list[Problem]:
    """Every way the document breaks the schema, each with its line, without repeats."""
    seen: set[tuple[Path, str]] = set()
    problems: list[Problem] = []
    for error in validator.iter_errors(document.data):
        for path, message in explain_schema_error(error):
            if (path, message) in seen:
                continue
            seen.add((path, message))
            label = path_label(document.data, path)
            problems.append(document.problem(path, f"{label}: {message}" if label else message))
    return problems


@cache
def schema_validator(package: str, filename: str) -> Draft202012Validator:
    """The checked validator of ``<package>/schema/<filename>``."""
    text = resources.files(package).joinpath("schema", filename).read_text(encoding="utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


# Content checks beyond the schema (references, duplicates) return problems with lines.
ContentCheck = Callable[[Document], list[Problem]]


def parse_data_file(text: str, source: str, validator: Draft202012Validator,
                    check: ContentCheck | None = None) -> Document:
    """The checked document; raises ``DataFileError`` listing every problem with its line."""
    document, problems = read_document(text, source)
    if document.parsed:
        problems += schema_problems(document, validator)
        if not problems and check is not None:
            problems += check(document)
    if problems:
        raise DataFileError(problems)
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
