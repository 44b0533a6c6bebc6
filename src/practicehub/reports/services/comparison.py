"""The statewide or regional edition: the sites (counties) of a state or region side by side,
one table per section, each read from the service the comparing page of that area uses (the
stage list's ``compare_sites``, the support log's dosage by site, the fidelity dashboard's scores
by county, the outcome overview's breakdown by county)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import replace

from practicehub.accounts.models import NodeKind, OrgNode
from practicehub.assessments.models import Administration
from practicehub.assessments.services import administrations, scoring
from practicehub.fidelity import charts as fidelity_charts
from practicehub.fidelity.models import Observation, ObservationTool
from practicehub.fidelity.services import dashboards
from practicehub.implementation.models import (
    ActionStatus,
    ChecklistRating,
    Decision,
    Plan,
    StageRecord,
    SupportActivity,
    Team,
)
from practicehub.implementation.services import plans, stages, support
from practicehub.implementation.services.views_support import current_model
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.services import dashboard_data, dashboard_selection, overview_page
from practicehub.outcomes.services.access import OutcomeScope
from practicehub.outcomes.services.dashboard_periods import federal_code, federal_label
from practicehub.reports.services.document import (
    Chart,
    Progress,
    Report,
    Section,
    Table,
    Viewer,
    all_or_visible,
    date_text,
    decimal_percent,
    produced_by,
)
from practicehub.reports.services.sections.assessments import latest_scored
from practicehub.reports.services.sections.fidelity import GROUP_HEADERS, fidelity_scope, group_rows
from practicehub.reports.services.sections.implementation import RECENT_DAYS, dosage_chart
from practicehub.reports.services.sections.outcomes import outcome_viewer_scope


def sites_of(node: OrgNode, viewer: Viewer) -> list[OrgNode]:
    """The counties under ``node`` (in the viewer's scope) with any implementation or fidelity
    record: the sites worth a row."""
    counties = OrgNode.objects.filter(path__startswith=node.path, kind=NodeKind.COUNTY)
    if viewer is not None:
        counties = counties.filter(pk__in=OrgNode.objects.visible_to(viewer))
    found = []
    for county in counties.order_by("name"):
        inside = {"node__path__startswith": county.path}
        if (StageRecord.objects.filter(**inside).exists() or Plan.objects.filter(**inside).exists()
                or SupportActivity.objects.filter(**inside).exists()
                or Administration.objects.filter(**inside).exists()
                or Observation.objects.filter(**inside).exists()):
            found.append(county)
    return found


def _stage(sites: list[OrgNode], viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Stage of implementation")
    version = current_model()
    rows = [] if version is None else stages.compare_sites(
        all_or_visible(StageRecord.objects.all(), viewer).filter(node__in=sites),
        all_or_visible(ChecklistRating.objects.all(), viewer).filter(node__in=sites), version,
        today)
    by_site = {row.node.pk: row for row in rows}
    table = []
    for site in sites:
        row = by_site.get(site.pk)
        current = next((m for m in row.measures if m.stage == row.current), None) if row else None
        table.append([site.name, row.current.label if row and row.current else "—",
                      date_text(current.entered_on) if current else "—",
                      str(current.duration_days) if current and current.duration_days is not None
                      else "—",
                      f"{current.established} of {current.activities}" if current else "—"])
    section.table("Current stage by site", ["Site", "Stage", "Entered", "Days in stage",
                                            "Checklist established"], table)
    return section


def _plans(sites: list[OrgNode], viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Strategic implementation plans")
    rows = []
    for site in sites:
        found = plans.plans_with_actions(all_or_visible(Plan.objects.all(), viewer).filter(
            node__path__startswith=site.path))
        for plan in found:
            summary = plans.summarise(plan, today)
            actions = [a for o in summary.objectives for a in o.actions]
            rows.append([site.name, plan.title, decimal_percent(summary.progress),
                         str(len(actions)), str(sum(a.status == ActionStatus.DONE
                                                    for a in actions)),
                         str(len(summary.overdue)), str(len(summary.at_risk))])
    section.table("Plans by site", ["Site", "Plan", "Progress", "Actions", "Done", "Overdue",
                                    "At risk"], rows or [["—", "No plan recorded.", "", "", "", "",
                                                          ""]])
    return section


def _teams(sites: list[OrgNode], viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Teams and recent decisions")
    since = today - datetime.timedelta(days=RECENT_DAYS)
    rows = []
    for site in sites:
        teams = all_or_visible(Team.objects.all(), viewer).filter(node__path__startswith=site.path)
        decisions = Decision.objects.filter(meeting__team__in=teams,
                                            meeting__held_on__gte=since,
                                            meeting__held_on__lte=today)
        rows.append([site.name, str(teams.count()), str(decisions.count())])
    section.table(f"Teams and decisions of the last {RECENT_DAYS} days by site",
                  ["Site", "Teams", "Decisions"], rows)
    return section


def _support(node: OrgNode, sites: list[OrgNode], viewer: Viewer, period: Period) -> Section:
    section = Section("Implementation support received")
    activities = all_or_visible(SupportActivity.objects.all(), viewer).filter(
        node__path__startswith=node.path, occurred_on__gte=period.start,
        occurred_on__lte=period.end)
    section.intro.append(f"{period.start.isoformat()} to {period.end.isoformat()}; one row per "
                         "place the support was logged at (the support log's breakdown by site).")
    if activities.exists():
        section.blocks.append(dosage_chart(
            support.dosage_by_site(activities), "Support hours by site", "Site",
            "Hours of implementation support each site received."))
    else:
        section.intro.append("No support activity in the period.")
    return section


def _assessments(sites: list[OrgNode], viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Readiness and capacity")
    visible = all_or_visible(Administration.objects.all(), viewer)
    rows = []
    for administration in latest_scored(visible.filter(
            node__in=sites, administered_on__lte=today).select_related("instrument", "node",
                                                                       "team")):
        results = administrations.results_of(administration)
        assert results is not None
        previous = administrations.previous_of(administration, visible)
        before = administrations.results_of(previous) if previous else None
        change = next((c for c in scoring.changes(before, results) if c.code == "total"),
                      None) if before else None
        rows.append([administration.node.name, administration.instrument.name,
                     administration.administered_on.isoformat(), str(results.total.shown),
                     f"{change.difference:+}" if change else "—"])
    section.table("Latest scored assessment by site and instrument",
                  ["Site", "Instrument", "Date", "Total", "Change since the last"],
                  rows or [["—", "No scored assessment recorded.", "", "", ""]])
    return section


def _fidelity(node: OrgNode, viewer: Viewer, period: Period) -> Section:
    section = Section("Fidelity")
    tool = ObservationTool.objects.first()
    if tool is None:
        section.intro.append("No observation tool is configured.")
        return section
    scope = fidelity_scope(node, viewer, tool, period)
    groups = dashboards.by_place(scope, "county")
    section.intro.append(f"{tool.name}, observations made {period.start.isoformat()} to "
                         f"{period.end.isoformat()} (the fidelity dashboard's scores by county).")
    title = "Share proficient by county"
    section.blocks.append(Chart(title, "Bars: share proficient; lines: 95% Wilson interval.",
                                fidelity_charts.share_bars(title, groups),
                                Table("Scores by county", ["County", *GROUP_HEADERS],
                                      group_rows(groups))))
    return section


def _outcomes(node: OrgNode, sites: list[OrgNode], viewer: Viewer, period: Period) -> Section:
    section = Section("Outcomes")
    viewer_scope = outcome_viewer_scope(viewer)
    wanted = tuple(sorted(site.fips for site in sites if site.fips
                          and (viewer_scope.statewide or site.fips in viewer_scope.counties)))
    with dashboard_data.opened() as data:
        if data is None or not wanted:
            section.intro.append("No outcome data are imported." if data is None else
                                 "No site of this scope has outcome figures you may see.")
            return section
        scope = OutcomeScope(False, wanted, viewer_scope.unsuppressed)
        code = federal_code(period)
        selection = dashboard_selection.select(
            data, scope, period=code or "", start="" if code else period.start.isoformat(),
            end="" if code else period.end.isoformat(), by="county")
        if len(wanted) == 1:  # one county: select picks it; the breakdown needs every county
            selection = replace(selection, county=None, grouping="county")
        measures, groups = overview_page.breakdown(data, selection)
    section.intro.append(f"{federal_label(period)}; the outcome overview's breakdown by county. "
                         + ("Unsuppressed." if scope.unsuppressed else
                            "Small cells suppressed as on the outcome pages."))
    section.table("Measures by site", ["Measure", *[g.label for g in groups]],
                  [[spec.title, *[g.figures[i].text for g in groups]]
                   for i, spec in enumerate(measures)])
    return section


def compare(node: OrgNode, period: Period, viewer: Viewer, today: datetime.date,
            progress: Progress) -> Report:
    sites = sites_of(node, viewer)
    steps: list[tuple[str, Callable[[], Section]]] = [
        ("stage", lambda: _stage(sites, viewer, today)),
        ("plans", lambda: _plans(sites, viewer, today)),
        ("teams", lambda: _teams(sites, viewer, today)),
        ("support", lambda: _support(node, sites, viewer, period)),
        ("assessments", lambda: _assessments(sites, viewer, today)),
        ("fidelity", lambda: _fidelity(node, viewer, period)),
        ("outcomes", lambda: _outcomes(node, sites, viewer, period)),
    ]
    sections = []
    for index, (name, step) in enumerate(steps):
        progress(f"Reading {name}", index, len(steps))
        sections.append(step())
    progress("Read every section", len(steps), len(steps))
    return Report(node, period, federal_label(period), today, produced_by(viewer), "comparison",
                  sections, sites)
