"""The PDF report carries what reportlab can tag: its title (shown by the viewer), its language
and an outline with an entry per section and, under it, per chart or table."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import pytest

from practicehub.reports.services import pdf
from practicehub.reports.services.document import Report, Section, Table
from practicehub.testing.personas import Personas


@pytest.mark.django_db
def test_the_report_has_its_title_language_and_an_outline_of_its_sections(
        personas: Personas, tmp_path: Path) -> None:
    stages = Table("Stages and their dates", ["Stage", "Days"], [["Exploration", "30"]])
    shares = Table("Share proficient by practice", ["Practice", "Share"], [["Engagement", "45%"]])
    sections = [Section("Stage of implementation", ["Where the site stands."], [stages]),
                Section("Fidelity", [], [shares])]
    report = Report(node=personas.fresno.county, period=None,  # type: ignore[arg-type]
                    period_label="26A26B", produced_on=datetime.date(2026, 12, 3),
                    produced_by="Fresno Lead", edition="site", sections=sections)
    data = pdf.render(report)
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                          text=True).stdout
    assert re.search(r"^Title:\s+Progress report: Fresno County$", info, re.M), info
    assert b"/Lang (en-US)" in data
    assert b"/DisplayDocTitle true" in data
    assert b"/PageMode /UseOutlines" in data
    titles = [title.decode() for title in re.findall(rb"/Title \(([^)]*)\)", data)]
    for entry in ("1. Stage of implementation", "Stages and their dates", "2. Fidelity",
                  "Share proficient by practice"):
        assert entry in titles, titles
