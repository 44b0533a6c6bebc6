"""The demo's Fresno report, built from the command line and from its button through the task
worker, holds the figures the Fresno pages show the same person for the same period (read back
from the PDF with pdftotext, the pages rendered with the test client)."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practicehub.accounts.models import OrgNode, User
from practicehub.implementation.models import Plan
from practicehub.outcomes.services.dashboard_periods import federal_code
from practicehub.reports.models import ReportJob, ReportStatus
from practicehub.reports.services import content
from practicehub.reports.tests.test_report_jobs import _run_worker
from practicehub.site.services.demo import build_demo


class _Tables(HTMLParser):
    """Each table of a page by its caption: its body's rows of cell texts (tags inside cells
    dropped)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._caption: str | None = None
        self._in_caption = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "caption":
            self._in_caption, self._caption = True, ""
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
            self.tables.setdefault(" ".join((self._caption or "").split()), [])
        elif tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._caption is not None and self._row:
                self.tables[" ".join(self._caption.split())].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._in_caption and self._caption is not None:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


def tables(client: Client, url: str) -> dict[str, list[list[str]]]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.tables


def lines_of(pdf: Path) -> str:
    """The PDF's text, each line's runs of spaces made one (table cells read left to right)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def page_figures(client: Client, code: str) -> tuple[list[str], list[str]]:
    """Figures as the Fresno pages show them, written as the report's tables read them: lines
    to find as they are, and patterns (a plan's row ends with its overdue and at-risk counts)."""
    expected: list[str] = []
    patterns: list[str] = []
    for plan in Plan.objects.filter(node__code="fresno"):
        page = client.get(reverse("implementation:plan_detail", args=[plan.pk])).content.decode()
        found = re.search(r"(\d+) action steps? overdue, (\d+) at risk", page)
        assert found is not None, plan.title
        patterns.append(rf"^{re.escape(plan.title)} .* {found[1]} {found[2]}$")
    quarters = tables(client, reverse("fidelity:dashboard") + "?node=fresno")["Scores by quarter"]
    year = int(code[:2]) + 2000
    in_period = {f"{year - 1} Q4", *(f"{year} Q{q}" for q in (1, 2, 3))}
    # Label, workers, rated, proficient, share (interval); the mean is not in the report.
    expected += [" ".join(row[:5]) for row in quarters if row[0] in in_period]
    overview = tables(client, reverse("outcomes:dashboard") + f"?county=06019&period={code}")
    measures = next(rows for caption, rows in overview.items()
                    if caption.startswith("Every measure for Fresno"))
    expected += [" ".join([row[0], *row[2:]]) for row in measures]
    disparities = tables(client, reverse("outcomes:disparities") + f"?county=06019&period={code}")
    for caption, rows in disparities.items():
        expected += [" ".join([row[0], row[3], row[5], row[6]]) for row in rows
                     if row[0] in ("Black or African American",
                                   "American Indian or Alaska Native")]
        assert rows, caption
    return expected, patterns


@pytest.fixture
def demo(settings: Any, tmp_path: Path) -> None:
    settings.OUTCOMES_DIR = tmp_path / "outcomes"
    build_demo(progress=lambda message: None)


@pytest.mark.usefixtures("demo")
@pytest.mark.django_db(transaction=True)
def test_the_demos_fresno_report_holds_the_figures_of_the_fresno_pages(tmp_path: Path) -> None:
    lead = User.objects.get(username="fresno.lead")
    code = federal_code(content.default_period(timezone.localdate()))
    assert code is not None
    client = Client()
    client.force_login(lead)
    expected, patterns = page_figures(client, code)

    from_command = tmp_path / "command.pdf"
    call_command("report", "site", "--node", "fresno", "--as", "fresno.lead",
                 "--out", str(from_command))
    county = OrgNode.objects.get(code="fresno")
    client.post(reverse("reports:request", args=[county.pk]))
    _run_worker()
    job = ReportJob.objects.get(requested_by=lead)
    assert job.status == ReportStatus.DONE, job.error
    from_button = tmp_path / "button.pdf"
    from_button.write_bytes(client.get(reverse("reports:download", args=[job.pk])).content)

    for built in (from_command, from_button):
        text = lines_of(built) + "\n"
        assert f"Period: {code} (" in text
        missing = [figure for figure in expected if figure not in text]
        missing += [p for p in patterns if not re.search(p, text, re.MULTILINE)]
        assert missing == [], built.name
    # Each plan's counts, four quarters, every overview measure, two groups at three stages.
    assert (len(patterns), len(expected)) == (Plan.objects.filter(node__code="fresno").count(),
                                              4 + 10 + 6)
