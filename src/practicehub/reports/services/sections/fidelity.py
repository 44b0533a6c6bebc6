"""The report's fidelity section: shares proficient by practice, element, place and quarter as the
fidelity dashboard gives them (small groups hidden), and rater agreement."""

from __future__ import annotations

from practicehub.accounts.models import NodeKind, OrgNode
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.fidelity import charts as fidelity_charts
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.services.access import SMALL_GROUP, sees_people_at
from practicehub.fidelity.services.reliability import reliability
from practicehub.outcomes.engine.periods import Period
from practicehub.reports.services.document import (
    Cell,
    Chart,
    Section,
    Table,
    Viewer,
    percent,
    percent_range,
)


def group_rows(groups: list[dashboards.Group]) -> list[list[Cell]]:
    """As the fidelity dashboard's tables write them (fidelity/includes/groups_table.html)."""
    return [[g.label, *((f"Hidden: fewer than {SMALL_GROUP} workers", "", "", "")
                        if g.hidden else
                        (str(g.workers) + (" (small number)" if g.small else ""), str(g.rated),
                         str(g.proficient), f"{percent(g.share)} ({percent_range(g.interval)})"))]
            for g in groups]


GROUP_HEADERS = ["Workers", "Rated behaviors", "Proficient", "Share proficient (95% interval)"]


def fidelity_scope(node: OrgNode, viewer: Viewer, tool: ObservationTool,
                   period: Period) -> dashboards.Scope:
    sees = viewer is not None and sees_people_at(viewer, node)
    return dashboards.Scope(tool=tool, node=node, sees_people=sees, since=period.start,
                            until=period.end)


def may_see_agreement(viewer: Viewer) -> bool:
    """The rater agreement page asks for fidelity.observe (fidelity/permissions.py)."""
    return viewer is None or has_capability(viewer, Capability.FIDELITY_OBSERVE)


def fidelity_section(node: OrgNode, viewer: Viewer, period: Period) -> Section:
    section = Section("Fidelity")
    tool = ObservationTool.objects.first()  # the fidelity dashboard's default tool
    if tool is None:
        section.intro.append("No observation tool is configured.")
        return section
    scope = fidelity_scope(node, viewer, tool, period)
    section.intro.append(
        f"{tool.name}: first observers' submitted ratings of observations made "
        f"{period.start.isoformat()} to {period.end.isoformat()}. A behavior counts as "
        f"proficient at {tool.proficient_score} or above. Groups of fewer than {SMALL_GROUP} "
        "workers are " + ("marked “small number”." if scope.sees_people else "hidden."))
    practices = dashboards.by_content(scope, "practice")
    if not practices:
        section.intro.append("No submitted observation in the period.")
        return section
    for level, groups, first in (("practice", practices, "Practice"),
                                 ("element", dashboards.by_content(scope, "element"),
                                  "Element")):
        title = f"Share proficient by {level}"
        description = ("Bars: the share of rated behaviors at or above the proficient point; "
                       "lines: the 95% Wilson interval. Hidden groups are left out.")
        caption = ("Scores by front-line practice" if level == "practice"
                   else "Scores by core practice element")  # the dashboard's captions
        section.blocks.append(Chart(title, description,
                                    fidelity_charts.share_bars(title, groups),
                                    Table(caption, [first, *GROUP_HEADERS], group_rows(groups))))
    if node.kind != NodeKind.UNIT:
        level = "unit" if node.kind == NodeKind.OFFICE else "office"
        section.table(f"Scores by {level}", [level.title(), *GROUP_HEADERS],
                      group_rows(dashboards.by_place(scope, level)))
    section.table("Scores by quarter", ["Quarter", *GROUP_HEADERS],
                  group_rows(dashboards.by_period(scope, "quarter")))
    if may_see_agreement(viewer):
        agreement = reliability(tool, node)
        overall = agreement.overall
        section.table(
            "Rater agreement (paired observations to date, as the rater agreement page)",
            ["Behavior", "Pairs", "Exact", "Within one point", "Weighted kappa (linear)"],
            [[row.label, str(row.result.pairs), percent(row.result.exact),
              percent(row.result.adjacent), kappa_text(row.result.kappa_linear)]
             for row in [*agreement.by_behavior]]
            + [["All behaviors", str(overall.pairs), percent(overall.exact),
                percent(overall.adjacent), kappa_text(overall.kappa_linear)]])
    return section


def kappa_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
