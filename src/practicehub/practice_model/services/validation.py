"""Checks the schema cannot express: unique codes and references between sections.

They run on the same data as the schema check, even when it failed, so a person sees every
problem in one pass. Each check therefore skips entries whose shape is already wrong (the schema
reports those) instead of assuming the shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from practicehub.core.yamlfiles import Document, Path, Problem

# Sections whose entries carry a code, with the noun used in messages.
_TOP_SECTIONS = {
    "profile_levels": "profile level",
    "values": "value",
    "practices": "practice",
    "elements": "element",
    "behaviors": "behavior",
    "capacity_areas": "capacity area",
    "systemic_issues": "systemic issue",
    "casework_components": "casework component",
}
# Nested lists whose codes are unique across the whole version, not only within their parent.
_NESTED_SECTIONS = {
    ("values", "principles"): "principle",
    ("capacity_areas", "standards"): "capacity standard",
}


def _entries(data: Any, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(section) if isinstance(data, dict) else None
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


def _text(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    return value if isinstance(value, str) else None


def _coded(data: Any, parent: str, child: str | None) -> Iterator[tuple[Path, str]]:
    """(path of the code field, code) of every entry of a section, or of a nested list."""
    for index, item in _entries(data, parent):
        if child is None:
            code = _text(item, "code")
            if code is not None:
                yield (parent, index, "code"), code
            continue
        for inner, nested in _entries(item, child):
            code = _text(nested, "code")
            if code is not None:
                yield (parent, index, child, inner, "code"), code


def _duplicates(document: Document) -> Iterator[Problem]:
    groups: list[tuple[str, str | None, str]] = [
        (section, None, noun) for section, noun in _TOP_SECTIONS.items()
    ]
    groups += [(parent, child, noun) for (parent, child), noun in _NESTED_SECTIONS.items()]
    for parent, child, noun in groups:
        first: dict[str, Path] = {}
        for path, code in _coded(document.data, parent, child):
            if code in first:
                yield document.problem(
                    path,
                    f"duplicate {noun} code '{code}' "
                    f"(first used on line {document.line_of(first[code])})",
                )
            else:
                first[code] = path


def _duplicate_ranks(document: Document) -> Iterator[Problem]:
    first: dict[int, Path] = {}
    for index, level in _entries(document.data, "profile_levels"):
        rank = level.get("rank")
        if not isinstance(rank, int) or isinstance(rank, bool):
            continue
        path: Path = ("profile_levels", index, "rank")
        if rank in first:
            yield document.problem(
                path,
                f"profile level '{level.get('code')}' has rank {rank}, already used on line "
                f"{document.line_of(first[rank])}; each level needs its own rank",
            )
        else:
            first[rank] = path


def _codes(data: Any, section: str) -> dict[str, str | None]:
    """Code of each entry of a section → the entry's practice (for elements), else None."""
    return {
        code: _text(item, "practice")
        for _, item in _entries(data, section)
        if (code := _text(item, "code")) is not None
    }


def _elements(document: Document, practices: dict[str, str | None]) -> Iterator[Problem]:
    for index, element in _entries(document.data, "elements"):
        code = _text(element, "code") or f"#{index + 1}"
        practice = element.get("practice")
        if isinstance(practice, str) and practice not in practices:
            yield document.problem(
                ("elements", index, "practice"),
                f"element '{code}' names practice '{practice}', which is not in practices",
            )
        elif practice is None and practices:
            yield document.problem(
                ("elements", index),
                f"element '{code}' must name its practice: this model lists practices",
            )


def _behavior_links(
    document: Document,
    index: int,
    behavior: dict[str, Any],
    practices: dict[str, str | None],
    elements: dict[str, str | None],
) -> Iterator[Problem]:
    code = _text(behavior, "code") or f"#{index + 1}"
    practice = behavior.get("practice")
    element = behavior.get("element")
    if isinstance(practice, str) and practice not in practices:
        yield document.problem(
            ("behaviors", index, "practice"),
            f"behavior '{code}' names practice '{practice}', which is not in practices",
        )
    if isinstance(element, str) and element not in elements:
        yield document.problem(
            ("behaviors", index, "element"),
            f"behavior '{code}' names element '{element}', which is not in elements",
        )
    owner = elements.get(element) if isinstance(element, str) else None
    # Unknown codes are reported above; a mismatch is only worth saying between known ones.
    if (isinstance(practice, str) and practice in practices and owner in practices
            and owner != practice):
        yield document.problem(
            ("behaviors", index, "element"),
            f"behavior '{code}' names practice '{practice}' but its element '{element}' "
            f"belongs to practice '{owner}'",
        )
    if practice is None and practices and behavior.get("set") == "practice":
        yield document.problem(
            ("behaviors", index),
            f"behavior '{code}' must name its practice: this model lists practices",
        )


def _descriptors(
    document: Document, index: int, behavior: dict[str, Any], levels: list[str]
) -> Iterator[Problem]:
    descriptors = behavior.get("descriptors")
    if not isinstance(descriptors, dict):
        return
    code = _text(behavior, "code") or f"#{index + 1}"
    path: Path = ("behaviors", index, "descriptors")
    known = ", ".join(levels) or "none declared"
    for level in descriptors:
        if level not in levels:
            yield document.problem(
                (*path, level),
                f"behavior '{code}' has a descriptor for '{level}', which is not a profile "
                f"level (levels: {known})",
            )
    for level in levels:
        if level not in descriptors:
            yield document.problem(
                path, f"behavior '{code}' has no descriptor for profile level '{level}'"
            )


def _references(document: Document) -> Iterator[Problem]:
    data = document.data
    practices = _codes(data, "practices")
    elements = _codes(data, "elements")
    levels = list(_codes(data, "profile_levels"))
    yield from _elements(document, practices)
    for index, behavior in _entries(data, "behaviors"):
        yield from _behavior_links(document, index, behavior, practices, elements)
        yield from _descriptors(document, index, behavior, levels)
    for index, issue in _entries(data, "systemic_issues"):
        named = issue.get("practices")
        for position, practice in enumerate(named if isinstance(named, list) else []):
            if isinstance(practice, str) and practice not in practices:
                yield document.problem(
                    ("systemic_issues", index, "practices", position),
                    f"systemic issue '{_text(issue, 'code') or index + 1}' names practice "
                    f"'{practice}', which is not in practices",
                )


def _support_profile(document: Document) -> Iterator[Problem]:
    """In an implementation-support profile every behavior is a competency of a domain."""
    if document.data.get("kind") != "implementation_support":
        return
    # A missing domain where the file lists domains is reported by _behavior_links already.
    listed = bool(_codes(document.data, "practices"))
    for index, behavior in _entries(document.data, "behaviors"):
        code = _text(behavior, "code") or f"#{index + 1}"
        other_set = isinstance(behavior.get("set"), str) and behavior.get("set") != "practice"
        if other_set or (behavior.get("practice") is None and not listed):
            yield document.problem(
                ("behaviors", index),
                f"competency '{code}' must be in set 'practice' and name its domain in "
                "'practice': this is an implementation-support profile",
            )


def content_problems(document: Document) -> list[Problem]:
    """Duplicate codes and ranks, and references to codes the file does not define."""
    if not isinstance(document.data, dict):
        return []
    return [*_duplicates(document), *_duplicate_ranks(document), *_references(document),
            *_support_profile(document)]
