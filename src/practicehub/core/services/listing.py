"""The one way a list page pages, sorts and filters its rows.

A view builds ``list_page(request, rows, columns, filters=...)`` over a queryset already scoped
to the user; the template draws the header row from ``listing.columns`` and the counts and
pager with ``core/includes/pager.html``. Nothing is cut silently: the page says "1–50 of 192",
and when filters are set, how many of the rows the user may see they match. A filter that
does not make sense (a date that is not a date) refuses the list with the form's message and
shows no rows, rather than every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

PER_PAGE = 50


@dataclass(frozen=True)
class Column:
    """A column of a list: ``order_by`` (a field path) makes it sortable."""

    key: str
    label: str
    order_by: str = ""
    descending_first: bool = False


@dataclass(frozen=True)
class Header:
    label: str
    href: str = ""
    aria_sort: str = ""  # "ascending" / "descending" on the column the list is sorted by


class FilterForm(Protocol):
    def is_valid(self) -> bool: ...
    def has_changed(self) -> bool: ...
    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]: ...


@dataclass
class Listing:
    page: Page[Any]
    columns: list[Header]
    total: int  # rows the user may see, before filters
    matching: int  # rows the filters keep
    filtered: bool
    refused: bool
    query: str = ""  # the filters and sort as a query string, without the page
    previous_href: str = ""
    next_href: str = ""
    rows: list[Any] = field(default_factory=list)

    @property
    def summary(self) -> str:
        if self.refused:
            return "No rows: correct the filters above."
        if not self.matching:
            return "None match these filters." if self.filtered else "None yet."
        shown = f"{self.page.start_index()}–{self.page.end_index()} of {self.matching:,}"
        if self.filtered:
            return f"{shown} matching the filters, of {self.total:,} in all"
        return shown


def _href(query: QueryDict, **changes: str) -> str:
    changed = query.copy()
    for key, value in changes.items():
        changed[key] = value
    return "?" + changed.urlencode()


def _ordering(columns: Sequence[Column], wanted: str, default: str) -> tuple[Column, bool]:
    descending = wanted.startswith("-")
    key = wanted.removeprefix("-")
    sortable = {c.key: c for c in columns if c.order_by}
    if key not in sortable:
        key, descending = default.removeprefix("-"), default.startswith("-")
    return sortable[key], descending


def list_page(request: HttpRequest, rows: QuerySet[Any], columns: Sequence[Column], *,
              default_sort: str, filters: FilterForm | None = None,
              per_page: int = PER_PAGE) -> Listing:
    """Page ``rows`` (already scoped to the user) by the request's filters, sort and page."""
    total = rows.count()
    every = rows
    refused = filters is not None and not filters.is_valid()
    filtered = filters is not None and not refused and filters.has_changed()
    if refused:
        rows = rows.none()
    elif filters is not None:
        rows = filters.apply(rows)
    column, descending = _ordering(columns, request.GET.get("sort", ""), default_sort)
    order = column.order_by.split(",")
    narrowed = rows is not every
    rows = rows.order_by(*(f"-{o}" if descending else o for o in order), "-pk")
    paginator = Paginator(rows, per_page)
    if not narrowed:  # no filter narrowed the rows: the matching ones are all of them
        paginator.__dict__["count"] = total
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    sort_now = f"{'-' if descending else ''}{column.key}"
    headers = [_header(c, column, descending, query) for c in columns]
    paged = query.copy()
    paged["sort"] = sort_now
    return Listing(
        page=page, columns=headers, total=total, matching=page.paginator.count,
        filtered=filtered, refused=refused, query=paged.urlencode(),
        previous_href=_href(paged, page=str(page.previous_page_number()))
        if page.has_previous() else "",
        next_href=_href(paged, page=str(page.next_page_number())) if page.has_next() else "",
        rows=list(page.object_list))


def _header(c: Column, current: Column, descending: bool, query: QueryDict) -> Header:
    if not c.order_by:
        return Header(c.label)
    if c.key == current.key:
        flipped = c.key if descending else f"-{c.key}"
        return Header(c.label, _href(query, sort=flipped),
                      "descending" if descending else "ascending")
    first = f"-{c.key}" if c.descending_first else c.key
    return Header(c.label, _href(query, sort=first))


class ListFilters(forms.Form):
    """Base of a list's filter form: empty means no filter; ``apply`` narrows the rows.

    Bind it to ``request.GET`` always (an empty query is a valid form with no filter). A
    ``since``/``until`` pair is checked here once for every list.
    """

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return cleaned

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """The rows the filters keep; each list's form says how (this base has no filters)."""
        raise NotImplementedError(f"{type(self).__name__} must say how its filters narrow rows")

    def has_changed(self) -> bool:
        return any(value not in (None, "", [], ()) for value in self.cleaned_data.values())
