"""Every chart on every page, for every persona, draws only rows its table shows.

The walk opens each page of the accessibility walk (``tests/browser/pages.py``) as each persona
who may open it, against data with small groups (one observed worker; a small synthetic outcome
import), and reads every chart:

- every chart (an ``<svg>``) sits inside an element marked ``data-chart`` that also holds the
  table(s) of its figures; a chart without its table fails;
- a table row is hidden when its first figure (the cell after the row's label, the one a chart
  draws) says "Hidden: …" or "suppressed";
- a chart's marks name the rows they draw: Vega's per-mark labels ("Month: 2025-03; …") or
  ``data-row`` on hand-drawn SVG; a mark naming a hidden row fails;
- every chart met with a shown row must have readable marks somewhere in the walk, so a chart
  drawn some other way fails instead of passing unread.

A new page or chart is covered as soon as it is in the page list.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import reverse

from practicehub.accounts.models import User
from practicehub.fidelity.demo import demo_tool
from practicehub.fidelity.models import Setting
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.observations import (
    NewObservation,
    entries_by_code,
    save_draft,
    start_observation,
    submit,
)
from practicehub.practice_model.services import load_shipped_models
from practicehub.site.navigation import may_open
from practicehub.testing.personas import CountyPersonas, Personas
from tests.browser.pages import PAGES, Arguments

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
HIDDEN_CELL = re.compile(r"^\s*(hidden\b.*|suppressed)\s*$", re.IGNORECASE | re.DOTALL)
NOT_MARKS = {"axis", "legend", "title"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    content: list[str | Node] = field(default_factory=list)  # text and children, in order

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def text(self) -> str:
        return " ".join(" ".join(part if isinstance(part, str) else part.text()
                                 for part in self.content).split())

    def find(self, tag: str) -> list[Node]:
        return [node for node in self.walk() if node.tag == tag and node is not self]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.open: list[Node] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = self._add(tag, attrs)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(tag, attrs)

    def _add(self, tag: str, attrs: list[tuple[str, str | None]]) -> Node:
        node = Node(tag, {name: value or "" for name, value in attrs}, self.open[-1])
        self.open[-1].children.append(node)
        self.open[-1].content.append(node)
        return node

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].content.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


@dataclass(frozen=True)
class Chart:
    caption: str
    marks: frozenset[str]  # the row labels its marks name
    hidden: frozenset[str]  # rows its table hides or marks suppressed
    shown: frozenset[str]  # rows its table shows with a figure


def _pair_of(svg: Node) -> Node | None:
    node = svg.parent
    while node is not None and "data-chart" not in node.attrs:
        node = node.parent
    return node


def _mark_rows(svg: Node) -> set[str]:
    rows: set[str] = set()
    for node in svg.walk():
        if "data-row" in node.attrs:
            rows.add(node.attrs["data-row"])
        if (node.attrs.get("role") == "graphics-symbol"
                and node.attrs.get("aria-roledescription") not in NOT_MARKS):
            for part in node.attrs.get("aria-label", "").split("; "):
                rows.add(part.partition(": ")[2].strip())
    return rows - {""}


def _table_rows(pair: Node) -> tuple[set[str], set[str]]:
    hidden: set[str] = set()
    shown: set[str] = set()
    for body in pair.find("tbody"):
        for row in body.find("tr"):
            cells = [c for c in row.children if c.tag in {"th", "td"}]
            if len(cells) < 2:
                continue  # "No data yet." rows
            # The first figure after the label is the one a chart draws, or says it is hidden;
            # a row with no figure there ("—", "No observations") has nothing to draw.
            first = cells[1].text()
            if HIDDEN_CELL.match(first):
                hidden.add(cells[0].text())
            elif any(character.isdigit() for character in first):
                shown.add(cells[0].text())
    return hidden, shown


def charts_of(page: str) -> tuple[list[Chart], list[str]]:
    """The charts of a page, and the problems of pairing (a chart without its table)."""
    charts: list[Chart] = []
    unpaired: list[str] = []
    for svg in parse(page).find("svg"):
        if any(node.tag == "svg" for node in _ancestors(svg)) or "usa-icon" in svg.attrs.get(
                "class", ""):
            continue
        pair = _pair_of(svg)
        caption = " ".join(f.text() for f in (pair.find("figcaption") if pair else [])) or (
            " ".join(t.text() for t in svg.find("title")))
        if pair is None or not pair.find("table"):
            unpaired.append(caption[:80] or "a chart with no caption")
            continue
        hidden, shown = _table_rows(pair)
        charts.append(Chart(caption[:80], frozenset(_mark_rows(svg)), frozenset(hidden),
                            frozenset(shown)))
    return charts, unpaired


def _ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


# --- the walk --------------------------------------------------------------------------------


def _everyone(personas: Personas) -> list[User]:
    people = [personas.state_admin]
    for county in (personas.fresno, personas.humboldt):
        people += [getattr(county, f.name) for f in dataclasses.fields(CountyPersonas)
                   if isinstance(getattr(county, f.name), User)]
    return people


def _small_groups(personas: Personas) -> None:
    """One observed worker over three months: every group is smaller than five workers."""
    tool = demo_tool()
    worker, coach = personas.fresno.practitioner, personas.fresno.coach
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    for month, score in ((1, "2"), (2, "3"), (3, "3")):
        observation = start_observation(NewObservation(
            tool=tool, worker=worker, observer=coach, observed_on=date(2025, month, 3),
            setting=Setting.HOME_VISIT, reference=f"walk-{month}"), coach)
        save_draft(observation, coach, entries_by_code(
            observation, {code: score for code in codes}))
        submit(observation, coach)


def _arguments(arguments: Arguments, user: User) -> dict[str, Any] | None:
    """The page's URL arguments, or None when the record the page list makes (as a Fresno user
    would) is one this persona may not make: another persona walks that page."""
    try:
        with transaction.atomic():
            return arguments(user)
    except FidelityError:
        return None


def test_every_chart_draws_only_rows_its_table_shows(
    personas: Personas, small_outcome_import: Path, settings: Any,
) -> None:
    settings.OUTCOMES_DIR = small_outcome_import
    load_shipped_models()
    _small_groups(personas)
    client = Client()
    leaks: list[str] = []
    unpaired: list[str] = []
    readable: dict[tuple[str, int], bool] = {}
    walked = 0
    for user in _everyone(personas):
        client.force_login(user)
        for name, arguments in PAGES.items():
            if not may_open(user, name):
                continue
            kwargs = _arguments(arguments, user)
            if kwargs is None:
                continue
            response = client.get(reverse(name, kwargs=kwargs))
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue  # out of this persona's scope: the role walk checks that
            walked += 1
            charts, lost = charts_of(response.content.decode())
            unpaired += [f"{name} as {user.username}: {caption}" for caption in lost]
            for index, chart in enumerate(charts):
                drawn = chart.marks & chart.hidden
                if drawn:
                    leaks.append(f"{name} as {user.username}, “{chart.caption}”: draws "
                                 f"{sorted(drawn)}, which its table hides")
                if chart.shown:
                    key = (name, index)
                    readable[key] = readable.get(key, False) or bool(chart.marks & chart.shown)
    assert walked > 100
    assert not unpaired, "charts without their table:\n" + "\n".join(unpaired)
    assert not leaks, "\n".join(leaks)
    unread = [f"{name} chart {index + 1}" for (name, index), ok in readable.items() if not ok]
    assert readable, "no chart was drawn in the walk"
    assert not unread, "charts whose marks name no row of their table: " + ", ".join(unread)
