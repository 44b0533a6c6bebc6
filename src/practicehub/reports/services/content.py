"""What a site progress report says, as tables and charts, read from the areas' own services.

Nothing here computes a rule of its own: stages, plan progress and the overdue and at-risk rules,
dosage, assessment scores and their change, fidelity shares and the small-group hiding, rater
agreement, outcome figures and their suppression all come from the service the page of that area
calls, for the same records (the viewer's ``visible_to``) and the same period. This module only
chooses what goes in which table and writes each figure as the page writes it.

A report is built for a *viewer*: a signed-in person (the button on a site page, or ``report
site --as USERNAME``), who gets exactly what their pages show them, or ``None`` (the command line
without ``--as``), the *aggregate edition*: every record of the site, outcome figures suppressed
and small fidelity groups hidden, as for a person who may not see unsuppressed tables or workers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from practicehub.accounts.models import NodeKind, OrgNode, User
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import NodeScopedQuerySet, has_capability
from practicehub.assessments.models import Administration
from practicehub.assessments.services import administrations, scoring
from practicehub.assessments.services import charts as assessment_charts
from practicehub.core.errors import Located, OutsideScope, Refused
from practicehub.fidelity import charts as fidelity_charts
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.services.access import SMALL_GROUP, sees_people_at
from practicehub.fidelity.services.reliability import reliability
from practicehub.implementation.models import (
    ActionStatus,
    ChecklistRating,
    Decision,
    Plan,
    StageRecord,
    SupportActivity,
    Team,
)
from practicehub.implementation.services import charts as implementation_charts
from practicehub.implementation.services import plans, stages, support
from practicehub.implementation.services.views_support import current_model
from practicehub.outcomes.engine.periods import Period, PeriodError, parse_period
from practicehub.outcomes.services import (
    dashboard_data,
    dashboard_selection,
    disparities_page,
    national,
    overview_page,
)
from practicehub.outcomes.services.access import OutcomeScope, outcome_scope
from practicehub.outcomes.services.dashboard_periods import (
    federal_code,
    federal_label,
    latest_federal_year,
)
from practicehub.outcomes.services.formatting import Figure, race_label
from practicehub.reports.services import charts as report_charts

# Decisions of meetings held this many days before the report date are "recent".
RECENT_DAYS = 90
# The disparities the report names (DESIGN §1: African American and Native American first).
FOCUS_RACES = ("black", "aian")
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

    @property
    def title(self) -> str:
        if self.edition == "comparison":
            return f"Progress report: sites of {self.node.name}"
        return f"Progress report: {self.node.name}"


Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


# ----------------------------------------------------------------------------- what is asked


def find_site(code: str, viewer: Viewer) -> OrgNode:
    """The node a report is asked for: ``Refused`` naming the code when no place has it or it
    is not a site, ``OutsideScope`` (404 on a page) when the viewer's scope does not reach it."""
    found = OrgNode.objects.filter(code=code.strip()).first()
    if found is None:
        raise Refused(f"No site “{code}”: no place of the organisation tree has that code.",
                      [Located(f"no place has the code {code!r}", field="node")])
    if viewer is not None and not OrgNode.objects.visible_to(viewer).filter(pk=found.pk).exists():
        raise OutsideScope(f"No site {code!r} in your scope")
    if found.kind not in (*SITE_KINDS, *SCOPE_KINDS):
        raise Refused(f"“{code}” is a {found.get_kind_display().lower()}, not a site: a report "
                      "covers a state, region, county, office or unit.",
                      [Located("not a site", field="node")])
    return found


def default_period(today: datetime.date) -> Period:
    """The latest federal fiscal year the outcome data reach (the first choice of the outcome
    pages' period picker), else the latest one finished before ``today``."""
    with dashboard_data.opened() as data:
        as_of = dashboard_data.as_of_date(data) if data is not None else None
    return latest_federal_year(as_of or today)


def find_period(code: str, today: datetime.date) -> Period:
    """``code`` (a federal code such as 26A26B, or START:END) or the default; ``Refused``
    naming the code when it cannot be read."""
    if not code.strip():
        return default_period(today)
    try:
        return parse_period(code)
    except PeriodError as error:
        raise Refused(f"Period “{code}” cannot be read: {error}.",
                      [Located(str(error), field="period")]) from None


# ----------------------------------------------------------------------------- helpers


def _all_or_visible[Q: NodeScopedQuerySet[Any]](queryset: Q, viewer: Viewer) -> Q:
    """Every record for the command line's aggregate edition, else what the viewer reaches."""
    return queryset if viewer is None else queryset.visible_to(viewer)


def _in(node: OrgNode, field_path: str) -> dict[str, str]:
    return {f"{field_path}__path__startswith": node.path}


def percent(value: float | None) -> str:
    """As the pages write a share (core/templatetags/figures.py)."""
    return "—" if value is None else f"{round(value * 100):d}%"


def percent_range(interval: tuple[float, float] | None) -> str:
    if interval is None:
        return "—"
    low, high = interval
    return f"{round(low * 100):d}–{round(high * 100):d}%"


def _date(day: datetime.date | None) -> str:
    return day.isoformat() if day else "—"


def _decimal_percent(value: Any) -> str:
    return "—" if value is None else f"{round(float(value) * 100):d}%"


def county_of(node: OrgNode) -> OrgNode | None:
    """The county a site is or lies in."""
    if node.kind == NodeKind.COUNTY:
        return node
    return next((a for a in reversed(node.ancestors()) if a.kind == NodeKind.COUNTY), None)


# ----------------------------------------------------------------------------- sections


def stage_section(node: OrgNode, viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Stage of implementation")
    version = current_model()
    if version is None:
        section.intro.append("No practice model is loaded, so no stage is recorded.")
        return section
    records = list(_all_or_visible(StageRecord.objects.all(), viewer).filter(
        node=node, model_version=version))
    ratings = list(_all_or_visible(ChecklistRating.objects.all(), viewer).filter(
        node=node, model_version=version))
    measures = stages.stage_measures(records, ratings, today)
    entered = [m for m in measures if m.entered_on is not None]
    current = max(entered, key=lambda m: m.entered_on or today) if entered else None
    section.intro.append(
        f"Current stage: {current.stage.label}, entered {_date(current.entered_on)}."
        if current else "No stage is recorded for this site yet.")
    section.table("Stage history and checklist completion",
                  ["Stage", "Entered", "Left", "Days", "Checklist established"],
                  [[m.stage.label, _date(m.entered_on), _date(m.left_on),
                    "—" if m.duration_days is None else str(m.duration_days),
                    f"{m.established} of {m.activities} ({_decimal_percent(m.proportion)})"]
                   for m in measures])
    return section


def plan_section(node: OrgNode, viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Strategic implementation plan")
    found = plans.plans_with_actions(_all_or_visible(Plan.objects.all(), viewer).filter(
        **_in(node, "node")))
    summaries = [plans.summarise(plan, today) for plan in found]
    if not summaries:
        section.intro.append("No plan of this site is recorded.")
        return section
    section.intro.append(
        f"Overdue: an open action past its target date on {today.isoformat()}; at risk: "
        f"blocked, or not started and due within {plans.AT_RISK_DAYS} days.")
    rows = []
    for summary in summaries:
        actions = [a for o in summary.objectives for a in o.actions]
        done = sum(a.status == ActionStatus.DONE for a in actions)
        rows.append([summary.plan.title, summary.plan.get_status_display(),
                     _decimal_percent(summary.progress), str(len(summary.objectives)),
                     str(len(actions)), str(done), str(len(summary.overdue)),
                     str(len(summary.at_risk))])
    section.table("Plans", ["Plan", "Status", "Progress", "Objectives", "Actions", "Done",
                            "Overdue", "At risk"], rows)
    for summary in summaries:
        section.table(
            f"Objectives of “{summary.plan.title}”",
            ["Objective", "Progress", "Actions", "Done", "Overdue", "At risk"],
            [[o.objective.text, _decimal_percent(o.progress), str(len(o.actions)),
              str(sum(a.status == ActionStatus.DONE for a in o.actions)),
              str(sum(a in summary.overdue for a in o.actions)),
              str(sum(a in summary.at_risk for a in o.actions))]
             for o in summary.objectives])
        flagged = [(a, "overdue") for a in summary.overdue] + \
                  [(a, "at risk") for a in summary.at_risk]
        if flagged:
            section.table(f"Actions overdue or at risk in “{summary.plan.title}”",
                          ["Action", "Responsible", "Target", "Status", "Flag"],
                          [[a.text, a.responsible, _date(a.target_on), a.get_status_display(),
                            flag] for a, flag in flagged])
    return section


def team_section(node: OrgNode, viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Teams and recent decisions")
    teams = list(_all_or_visible(Team.objects.all(), viewer).filter(**_in(node, "node"))
                 .select_related("node").prefetch_related("members"))
    if not teams:
        section.intro.append("No team of this site is recorded.")
        return section
    section.table("Teams", ["Team", "Kind", "Site", "Members", "Meets"],
                  [[t.name, t.get_kind_display(), t.node.name, str(len(t.members.all())),
                    t.get_cadence_display()] for t in teams])
    since = today - datetime.timedelta(days=RECENT_DAYS)
    decisions = (Decision.objects.filter(meeting__team__in=teams, meeting__held_on__gte=since,
                                         meeting__held_on__lte=today)
                 .select_related("meeting__team").order_by("-meeting__held_on", "pk"))
    section.table(f"Decisions of the last {RECENT_DAYS} days ({since.isoformat()} to "
                  f"{today.isoformat()})", ["Date", "Team", "Meeting", "Decision"],
                  [[_date(d.meeting.held_on), d.meeting.team.name, d.meeting.title, d.text]
                   for d in decisions] or [["—", "—", "—", "No decision recorded."]])
    return section


def _dosage_chart(rows: list[support.DosageRow], title: str, category: str,
                  description: str) -> Chart:
    spec = implementation_charts.hours_bar_chart(rows, title=title, description=description,
                                                 category=category)
    return Chart(title, description, spec, Table(title, [category, "Activities", "Hours"],
                                                 [[r.label, str(r.activities), str(r.hours)]
                                                  for r in rows]))


def support_section(node: OrgNode, viewer: Viewer, period: Period) -> Section:
    section = Section("Implementation support received")
    activities = _all_or_visible(SupportActivity.objects.all(), viewer).filter(
        **_in(node, "node"), occurred_on__gte=period.start, occurred_on__lte=period.end)
    total = support.total_minutes(activities) / 60
    section.intro.append(f"{activities.count()} support activities, {total:.1f} hours, "
                         f"{period.start.isoformat()} to {period.end.isoformat()}.")
    if not activities.exists():
        return section
    section.blocks.append(_dosage_chart(
        support.dosage_by_kind(activities), "Support hours by kind", "Kind",
        "Hours by kind of support activity."))
    section.blocks.append(_dosage_chart(
        support.dosage_by_provider(activities), "Support hours by provider", "Provider",
        "Hours each provider gave; shared sessions count for each."))
    return section


def _latest_scored(found: QuerySet[Administration]) -> list[Administration]:
    """Per site and instrument, the latest administration with complete scores."""
    latest: dict[tuple[int, str], Administration] = {}
    for administration in found.order_by("-administered_on", "-pk"):
        key = (administration.node_id, administration.instrument.key)
        if key not in latest and administrations.results_of(administration) is not None:
            latest[key] = administration
    return sorted(latest.values(), key=lambda a: (a.node.path, a.instrument.name))


def assessment_section(node: OrgNode, viewer: Viewer, today: datetime.date) -> Section:
    section = Section("Readiness and capacity")
    visible = _all_or_visible(Administration.objects.all(), viewer)
    found = visible.filter(**_in(node, "node"), administered_on__lte=today).select_related(
        "instrument", "node", "team")
    latest = _latest_scored(found)
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


def _group_rows(groups: list[dashboards.Group]) -> list[list[Cell]]:
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


def _may_see_agreement(viewer: Viewer) -> bool:
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
                                    Table(caption, [first, *GROUP_HEADERS], _group_rows(groups))))
    if node.kind != NodeKind.UNIT:
        level = "unit" if node.kind == NodeKind.OFFICE else "office"
        section.table(f"Scores by {level}", [level.title(), *GROUP_HEADERS],
                      _group_rows(dashboards.by_place(scope, level)))
    section.table("Scores by quarter", ["Quarter", *GROUP_HEADERS],
                  _group_rows(dashboards.by_period(scope, "quarter")))
    if _may_see_agreement(viewer):
        agreement = reliability(tool, node)
        overall = agreement.overall
        section.table(
            "Rater agreement (paired observations to date, as the rater agreement page)",
            ["Behavior", "Pairs", "Exact", "Within one point", "Weighted kappa (linear)"],
            [[row.label, str(row.result.pairs), percent(row.result.exact),
              percent(row.result.adjacent), _kappa(row.result.kappa_linear)]
             for row in [*agreement.by_behavior]]
            + [["All behaviors", str(overall.pairs), percent(overall.exact),
                percent(overall.adjacent), _kappa(overall.kappa_linear)]])
    return section


def _kappa(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _marked(figure: Figure) -> str:
    """A figure as the outcome pages write it, with their DQ mark (outcomes/includes/dq.html)."""
    return f"{figure.text} DQ" if figure.data_quality else figure.text


def _outcome_viewer_scope(viewer: Viewer) -> OutcomeScope:
    if viewer is None:
        return OutcomeScope(statewide=True, counties=(), unsuppressed=False)
    return outcome_scope(viewer)


def outcome_section(node: OrgNode, viewer: Viewer, period: Period) -> Section:
    section = Section("Outcomes")
    county = county_of(node)
    scope = _outcome_viewer_scope(viewer)
    with dashboard_data.opened() as data:
        if data is None:
            section.intro.append("No outcome data are imported.")
            return section
        if county is None or not county.fips or scope.empty:
            section.intro.append("This site has no county outcome figures in your scope.")
            return section
        offices = dict(dashboard_data.offices_in_data(data, county.fips))
        office = node.code if node.kind == NodeKind.OFFICE and node.code in offices else ""
        code = federal_code(period)
        try:
            # As the outcome pages are asked: the federal code when the period is one.
            selection = dashboard_selection.select(
                data, scope, county=county.fips, period=code or "",
                start="" if code else period.start.isoformat(),
                end="" if code else period.end.isoformat(), office=office)
        except dashboard_selection.OutOfScope:
            section.intro.append("This site has no county outcome figures in your scope.")
            return section
        overview = overview_page.overview(data, selection)
        # The disparities page has no office picker (its rates need county populations).
        stage_rows = disparities_page.disparities(data, replace(selection, office=None,
                                                                offices=()))
    section.intro.append(
        f"{selection.place}, {federal_label(period)}. "
        + ("Figures are shown unsuppressed." if selection.scope.unsuppressed else
           "Small cells are suppressed as on the outcome pages (spec §5).")
        + " The national line is the CFSR Round 4 national performance.")
    rows = [[m.spec.title, _marked(m.current), m.current.interval, m.current.numerator,
             m.current.denominator, m.national_performance or "—"] for m in overview]
    section.table("Outcome measures", ["Measure", "Value", "95% interval", "Numerator",
                                       "Denominator", "National performance"], rows,
                  note="DQ: the data behind the figure are over a data-quality limit (see the "
                       "data-quality report).")
    shares = [m for m in overview if m.spec.kind == "proportion"]
    if shares:
        title = "Shares against the national performance"
        national_of = {m.spec.id: (reference.national_performance
                                   if (reference := national.reference_for(m.spec.id)) else None)
                       for m in shares}
        section.blocks.append(Chart(
            title, "Bars: the site's figure (none when suppressed); red ticks: the CFSR Round 4 "
            "national performance.", report_charts.against_national(
                title, [(m.spec.title, m.current.value, national_of[m.spec.id]) for m in shares]),
            Table(title, ["Measure", "Value", "National performance"],
                  [[m.spec.title, m.current.text, m.national_performance or "—"]
                   for m in shares])))
    for stage in stage_rows:
        white = next((r for r in stage.rows if r.race == race_label("white")), None)
        focus = [r for r in stage.rows if r.race in {race_label(code) for code in FOCUS_RACES}]
        shown = [*focus, *([white] if white else [])]
        title = f"{stage.title}: disparities for Black and Native American children"
        county_wide = (f" Rates need population figures, which exist by county: these are "
                       f"{county.name}'s." if office else "")
        section.blocks.append(Chart(
            title, "Disparity index: the group's rate per 1,000 children over the white "
                   "children's rate (dashed line at 1); suppressed groups draw no bar."
                   + county_wide,
            report_charts.disparity_bars(title, [(r.race, r.disparity.value) for r in shown]),
            Table(title, ["Race and ethnicity", "Rate per 1,000", "Disproportionality",
                          "Disparity index"],
                  [[r.race, _marked(r.rate), r.disproportionality.text, r.disparity.text]
                   for r in shown])))
    return section


# ----------------------------------------------------------------------------- the report

SiteBuilder = Callable[[OrgNode, Viewer, Period, datetime.date], Section]
SECTIONS: list[tuple[str, SiteBuilder]] = [
    ("stage", lambda n, v, p, t: stage_section(n, v, t)),
    ("plan", lambda n, v, p, t: plan_section(n, v, t)),
    ("teams", lambda n, v, p, t: team_section(n, v, t)),
    ("support", lambda n, v, p, t: support_section(n, v, p)),
    ("assessments", lambda n, v, p, t: assessment_section(n, v, t)),
    ("fidelity", lambda n, v, p, t: fidelity_section(n, v, p)),
    ("outcomes", lambda n, v, p, t: outcome_section(n, v, p)),
]


def produced_by(viewer: Viewer) -> str:
    if viewer is None:
        return ("the command line (aggregate edition: outcome figures suppressed, small fidelity "
                "groups hidden)")
    return f"{viewer.get_full_name() or viewer.username} ({viewer.username})"


def build(node: OrgNode, period: Period, viewer: Viewer, *,
          today: datetime.date | None = None, progress: Progress = _quiet) -> Report:
    """The report of ``node`` for ``period`` as ``viewer`` sees it: a site's own report, or for a
    state or region the comparison of its sites, one table per section."""
    today = today or timezone.localdate()
    if node.kind in SCOPE_KINDS:
        from practicehub.reports.services.comparison import compare

        return compare(node, period, viewer, today, progress)
    sections = []
    for index, (name, builder) in enumerate(SECTIONS):
        progress(f"Reading {name}", index, len(SECTIONS))
        sections.append(builder(node, viewer, period, today))
    progress("Read every section", len(SECTIONS), len(SECTIONS))
    return Report(node, period, federal_label(period), today, produced_by(viewer), "site",
                  sections)
