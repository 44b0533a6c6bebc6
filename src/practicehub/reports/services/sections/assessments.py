"""The report's readiness and capacity section: the latest scored administration per site and
instrument, with the change since the one before."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from practicehub.accounts.models import OrgNode
from practicehub.assessments.models import Administration
from practicehub.assessments.services import administrations, scoring
from practicehub.assessments.services import charts as assessment_charts
from practicehub.reports.services.document import (
    Chart,
    Section,
    Table,
    Viewer,
    all_or_visible,
    within,
)


def latest_scored(found: QuerySet[Administration]) -> list[Administration]:
    """Per site and instrument, the latest administration with complete scores."""
    latest: dict[tuple[int, str], Administration] = {}
    for administration in found.order_by("-administered_on", "-pk"):
        key = (administration.node_id, administration.instrument.key)
        if key not in latest and administrations.results_of(administration) is not None:
            latest[key] = administration
    return sorted(latest.values(), key=lambda a: (a.node.path, a.instrument.name))


def assessment_section(node: OrgNode, viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Readiness and capacity")
    visible = all_or_visible(Administration.objects.all(), viewer)
    found = visible.filter(**within(node, "node"), administered_on__lte=today).select_related(
        "instrument", "node", "team")
    latest = latest_scored(found)
    if not latest:
        section.intro.append("No scored assessment of this site is recorded.")
        return section
    for administration in latest:
        results = administrations.results_of(administration)
        assert results is not None
        previous = administrations.previous_of(administration, visible)
        before = administrations.results_of(previous) if previous else None
        changes = {c.code: c for c in scoring.changes(before, results)} if before else {}
        name = administration.instrument.name
        where = administration.team.name if administration.team else administration.node.name
        heading = f"{name}, {where}, {administration.administered_on.isoformat()}"
        earlier = (f"compared with {previous.administered_on.isoformat()}" if previous
                   else "no earlier administration")
        rows = [[s.name, str(s.shown), f"{s.percent.quantize(scoring.ONE_PLACE)}%",
                 str(changes[s.code].before) if s.code in changes else "—",
                 (f"{changes[s.code].difference:+}" if s.code in changes else "—")]
                for s in [results.total, *results.all_scores()]]
        title = f"{name}: change since the last administration"
        description = ("Percent of maximum per sub-scale, the earlier administration beside the "
                       "latest." if before else "Percent of maximum per sub-scale; there is no "
                       "earlier one yet.")
        spec = assessment_charts.change_bar_chart(before, results, title=title,
                                                  description=description)
        chart_rows = [[s.name, (f"{before.sections[i].percent.quantize(scoring.ONE_PLACE)}%"
                                if before and i < len(before.sections) else "—"),
                       f"{s.percent.quantize(scoring.ONE_PLACE)}%"]
                      for i, s in enumerate(results.sections)]
        section.table(f"{heading} ({earlier})",
                      ["Score", "Latest", "Percent of maximum", "Earlier", "Change"], rows)
        section.blocks.append(Chart(title, description, spec, Table(
            title, ["Sub-scale", "Earlier %", "Latest %"], chart_rows)))
    return section
