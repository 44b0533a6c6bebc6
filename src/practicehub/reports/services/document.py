"""The shape of a site progress report (sections of tables and charts, each chart with the table
of exactly what it draws) and how the report writes a figure, as the pages write it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from practicehub.accounts.models import NodeKind, OrgNode, User
from practicehub.accounts.scoping import NodeScopedQuerySet
from practicehub.outcomes.engine.periods import Period

# The sites a report covers, and the places whose sites a comparison puts side by side.
SITE_KINDS = (NodeKind.COUNTY, NodeKind.OFFICE, NodeKind.UNIT)
SCOPE_KINDS = (NodeKind.STATE, NodeKind.REGION)

Viewer = User | None
Cell = str


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    note: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart (a Vega-Lite spec) and the table of exactly the figures it draws."""

    title: str
    description: str
    spec: dict[str, Any]
    table: Table


Block = Table | Chart


@dataclass
class Section:
    title: str
    intro: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def table(self, caption: str, headers: list[str], rows: list[list[Cell]],
              note: str = "") -> None:
        self.blocks.append(Table(caption, headers, rows, note))


@dataclass(frozen=True)
class Report:
    node: OrgNode
    period: Period
    period_label: str
    produced_on: datetime.date
    produced_by: str
    edition: str  # "site" or "comparison"
    sections: list[Section]
    sites: list[OrgNode] = field(default_factory=list)  # the compared sites (comparison)
    heading: str = ""  # another report's title (a plan's annual progress)

    @property
    def title(self) -> str:
        if self.heading:
            return self.heading
        if self.edition == "comparison":
            return f"Progress report: sites of {self.node.name}"
        return f"Progress report: {self.node.name}"


Progress = Callable[[str, int, int], None]


def quiet(stage: str, done: int, total: int) -> None:
    return None


def all_or_visible[Q: NodeScopedQuerySet[Any]](queryset: Q, viewer: Viewer) -> Q:
    """Every record for the command line's aggregate edition, else what the viewer reaches."""
    return queryset if viewer is None else queryset.visible_to(viewer)


def within(node: OrgNode, field_path: str) -> dict[str, str]:
    return {f"{field_path}__path__startswith": node.path}


def percent(value: float | None) -> str:
    """As the pages write a share (core/templatetags/figures.py)."""
    return "—" if value is None else f"{round(value * 100):d}%"


def percent_range(interval: tuple[float, float] | None) -> str:
    if interval is None:
        return "—"
    low, high = interval
    return f"{round(low * 100):d}–{round(high * 100):d}%"


def date_text(day: datetime.date | None) -> str:
    return day.isoformat() if day else "—"


def decimal_percent(value: Any) -> str:
    return "—" if value is None else f"{round(float(value) * 100):d}%"


def county_of(node: OrgNode) -> OrgNode | None:
    """The county a site is or lies in."""
    if node.kind == NodeKind.COUNTY:
        return node
    return next((a for a in reversed(node.ancestors()) if a.kind == NodeKind.COUNTY), None)


def produced_by(viewer: Viewer) -> str:
    if viewer is None:
        return ("the command line (aggregate edition: outcome figures suppressed, small fidelity "
                "groups hidden)")
    return f"{viewer.get_full_name() or viewer.username} ({viewer.username})"
