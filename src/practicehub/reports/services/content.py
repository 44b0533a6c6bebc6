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

from django.utils import timezone

from practicehub.accounts.models import OrgNode
from practicehub.core.errors import Located, OutsideScope, Refused
from practicehub.outcomes.engine.periods import Period, PeriodError, parse_period
from practicehub.outcomes.services import (
    dashboard_data,
)
from practicehub.outcomes.services.dashboard_periods import (
    federal_label,
    latest_federal_year,
)
from practicehub.reports.services.comparison import compare
from practicehub.reports.services.document import (
    SCOPE_KINDS,
    SITE_KINDS,
    Progress,
    Report,
    Section,
    Viewer,
    produced_by,
    quiet,
)
from practicehub.reports.services.sections.assessments import assessment_section
from practicehub.reports.services.sections.fidelity import fidelity_section
from practicehub.reports.services.sections.implementation import (
    plan_section,
    stage_section,
    support_section,
    team_section,
)
from practicehub.reports.services.sections.outcomes import outcome_section


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


def build(node: OrgNode, period: Period, viewer: Viewer, *,
          today: datetime.date | None = None, progress: Progress = quiet) -> Report:
    """The report of ``node`` for ``period`` as ``viewer`` sees it: a site's own report, or for a
    state or region the comparison of its sites, one table per section."""
    today = today or timezone.localdate()
    if node.kind in SCOPE_KINDS:
        return compare(node, period, viewer, today, progress)
    sections = []
    for index, (name, builder) in enumerate(SECTIONS):
        progress(f"Reading {name}", index, len(SECTIONS))
        sections.append(builder(node, viewer, period, today))
    progress("Read every section", len(SECTIONS), len(SECTIONS))
    return Report(node, period, federal_label(period), today, produced_by(viewer), "site",
                  sections)
