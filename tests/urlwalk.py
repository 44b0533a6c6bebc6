"""Every named URL of the project with sample arguments, for tests that walk them all."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Sample values for URL arguments; a new argument name makes test_url_walk fail until added.
SAMPLE_KWARGS: dict[str, str] = {"pk": "1", "assignment_pk": "1", "key": "cfpm",
                                 "version": "1", "code": "EE1"}


@dataclass(frozen=True)
class NamedUrl:
    name: str
    route: str
    arguments: tuple[str, ...]
    methods: tuple[str, ...] = ("GET", "POST")


# A plain function view with no method decorator answers whatever it is sent; it reads GET and
# handles POST, so those are the methods to walk.
PLAIN_VIEW_METHODS = ("GET", "POST")


def view_methods(view: Callable[..., Any]) -> tuple[str, ...]:
    """The HTTP methods a view accepts, read from the view itself: a class-based view's
    handlers, ``require_http_methods`` (and ``require_POST``/``require_GET``), or the
    operations of a ninja path."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return tuple(m.upper() for m in view_class.http_method_names
                     if m != "options" and hasattr(view_class, m))
    if not inspect.isfunction(view):
        return ("GET",)  # ninja's OpenAPI document and root: read-only partials
    names = inspect.getclosurevars(view).nonlocals
    if "request_method_list" in names:
        return tuple(m for m in names["request_method_list"] if m != "HEAD")
    path_view = names.get("self")
    operations = getattr(path_view, "operations", None)
    if operations is not None:
        return tuple(sorted({m for operation in operations for m in operation.methods}))
    return PLAIN_VIEW_METHODS


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
          ) -> Iterator[NamedUrl]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif entry.name:
            route = prefix + str(entry.pattern)
            arguments = tuple(entry.pattern.regex.groupindex)
            yield NamedUrl(f"{namespace}{entry.name}", route, arguments,
                           view_methods(entry.callback))


def named_urls() -> list[NamedUrl]:
    """Each URL name once (ninja repeats a path for each operation)."""
    unique: dict[str, NamedUrl] = {}
    for url in _walk(get_resolver().url_patterns, "", ""):
        unique.setdefault(url.name, url)
    return list(unique.values())
