"""The data-quality page (§1a) and the DQ marks on the dashboards, as users see them."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from practicehub.audit.models import AuditEvent
from practicehub.outcomes.data import store
from practicehub.outcomes.tests.test_quality import _flawed
from practicehub.testing.personas import Personas

FRESNO, ALAMEDA, HUMBOLDT = "06019", "06001", "06023"


@pytest.fixture
def flawed_import(tmp_path: Path, settings: Any) -> Path:
    """The hand-worked flawed data of test_quality (Fresno, Alameda, Los Angeles) imported."""
    store.import_directory(_flawed(tmp_path / "data"), tmp_path / store.DATABASE_NAME)
    settings.OUTCOMES_DIR = tmp_path
    return tmp_path


def test_the_report_shows_the_counties_rates_against_limits(
    flawed_import: Path, personas: Personas, login_as: Any,
) -> None:
    text = login_as(personas.fresno.coach).get(reverse("outcomes:data_quality")).content.decode()
    assert "Fresno: 3 flagged records." in text
    assert ("<th scope=\"row\">same_day_exit</th><td>discharge_date on the removal_date</td>"
            "<td>1</td><td>3</td><td>33.3%</td><td>5%</td><td>yes</td>") in text
    assert "Over the limit: same_day_exit, missing_birth_date, missing_discharge_reason." in text
    # The chart is drawn from the same rows as the table beside it.
    assert '; Row: same_day_exit"' in text
    # A coach may read the counts, not download the flagged rows (child ids).
    assert "flagged-rows" not in text
    assert login_as(personas.fresno.coach).get(
        reverse("outcomes:data_quality_flagged")).status_code == 403


def test_a_county_outside_scope_answers_404(
    flawed_import: Path, personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    assert client.get(reverse("outcomes:data_quality"), {"county": ALAMEDA}).status_code == 404


def test_the_dashboard_marks_figures_over_a_limit_and_links_the_report(
    flawed_import: Path, personas: Personas, login_as: Any,
) -> None:
    text = login_as(personas.state_admin).get(reverse("outcomes:dashboard"), {
        "county": FRESNO, "period": "custom", "start": "2023-01-01", "end": "2023-12-31",
    }).content.decode()
    assert f'<a class="usa-tag" href="{reverse("outcomes:data_quality")}"' in text
    # The headline figures (Fresno's totals) carry the mark, not only the break-down table.
    headline = text.split("<caption>Every measure for", 1)[1].split("</table>", 1)[0]
    assert ">DQ</a>" in headline


def test_an_analyst_downloads_the_flagged_rows_and_the_download_is_audited(
    flawed_import: Path, personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.evaluator)
    page = client.get(reverse("outcomes:data_quality")).content.decode()
    assert "flagged-rows/?format=csv" in page
    before = AuditEvent.objects.count()
    response = client.get(reverse("outcomes:data_quality_flagged"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["File", "Row", "Line", "Check", "Column", "Problem", "County", "Child"]
    # Fresno's flagged records only: C2's missing birth date and missing reason, E2's same day.
    assert sorted((row[0], row[3]) for row in rows[1:]) == [
        ("children.csv", "missing_birth_date"), ("episodes.csv", "missing_discharge_reason"),
        ("episodes.csv", "same_day_exit")]
    assert AuditEvent.objects.count() == before + 1
