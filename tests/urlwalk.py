"""Every named URL of the project with sample arguments, for tests that walk them all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Sample values for URL arguments; a new argument name makes test_url_walk fail until added.
SAMPLE_KWARGS: dict[str, str] = {"pk": "1", "assignment_pk": "1", "key": "cfpm",
                                 "version": "1", "code": "EE1"}


@dataclass(frozen=True)
class NamedUrl:
    name: str
    route: str
    arguments: tuple[str, ...]


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
          ) -> Iterator[NamedUrl]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif entry.name:
            route = prefix + str(entry.pattern)
            arguments = tuple(entry.pattern.regex.groupindex)
            yield NamedUrl(f"{namespace}{entry.name}", route, arguments)


def named_urls() -> list[NamedUrl]:
    return list(_walk(get_resolver().url_patterns, "", ""))
