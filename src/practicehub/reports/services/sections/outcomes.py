"""The report's outcome section: the overview's measures against the national line and the
disparities for Black and Native American children, as the outcome pages give them."""

from __future__ import annotations

from dataclasses import replace

from practicehub.accounts.models import NodeKind, OrgNode
from practicehub.outcomes.engine.periods import Period
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
)
from practicehub.outcomes.services.formatting import Figure, race_label
from practicehub.reports.services import charts as report_charts
from practicehub.reports.services.document import (
    Chart,
    Section,
    Table,
    Viewer,
    county_of,
)

# The disparities the report names (DESIGN §1: African American and Native American first).
FOCUS_RACES = ("black", "aian")


def marked(figure: Figure) -> str:
    """A figure as the outcome pages write it, with their DQ mark (outcomes/includes/dq.html)."""
    return f"{figure.text} DQ" if figure.data_quality else figure.text


def outcome_viewer_scope(viewer: Viewer) -> OutcomeScope:
    if viewer is None:
        return OutcomeScope(statewide=True, counties=(), unsuppressed=False)
    return outcome_scope(viewer)


def outcome_section(node: OrgNode, viewer: Viewer, period: Period) -> Section:
    section = Section("Outcomes")
    county = county_of(node)
    scope = outcome_viewer_scope(viewer)
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
    rows = [[m.spec.title, marked(m.current), m.current.interval, m.current.numerator,
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
                  [[r.race, marked(r.rate), r.disproportionality.text, r.disparity.text]
                   for r in shown])))
    return section
