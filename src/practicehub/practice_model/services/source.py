"""Reading a YAML model file into plain data while remembering the line of every field.

PyYAML's composer keeps each node's position; building the data from the node tree ourselves lets
every later check (schema, references, duplicates) point at the line a person has to fix, and
lets duplicate keys be reported instead of silently keeping the last one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from practicehub.practice_model.errors import Problem

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
