"""A System Improvement Plan's annual progress: the export's yearly figures are the plan page's
quarter figures on the baseline's anniversaries and equal ``practicehub outcomes compute``; the
PDF reads the strategy and its figures; scope, refusals, the command line and the plan page's
links."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from practicehub.audit.models import AuditEvent
from practicehub.implementation.models import Indicator, Plan, PlanKind
from practicehub.implementation.services import indicator_actuals, indicator_edits, plans
from practicehub.implementation.tests.helpers import a_plan
from practicehub.reports.services import sip
from practicehub.reports.tests.conftest import FRESNO, compute_cli
from practicehub.reports.tests.test_report_jobs import pdf_text
from practicehub.testing.personas import Personas

D = datetime.date
# The synthetic data reach September 2025; P1 follows entrants for 12 months, so its quarters
# count up to September 2024.
TODAY = D(2025, 12, 1)
STRATEGY = "Family finding from the first month in care"


@pytest.fixture
def sip_plan(personas: Personas) -> Plan:
    lead = personas.fresno.lead
    plan = plans.create_plan(lead, node=personas.fresno.county,
                             kind=PlanKind.SYSTEM_IMPROVEMENT, title="Fresno SIP 2023-2028",
                             start_on=D(2023, 1, 1), reassess_on=D(2028, 1, 1))
    objective = plans.add_objective(lead, plan, text=STRATEGY)
    indicator_edits.add_indicator(
        lead, objective, kind="outcome", measure="permanency_12m_entries",
        baseline_on=D(2023, 3, 31), baseline_value=0.3, target_value=0.45,
        target_on=D(2027, 12, 31))
    return plan


@pytest.mark.usefixtures("outcomes_dir")
def test_each_year_is_the_plan_page_quarter_on_the_anniversary_and_equals_outcomes_compute(
    personas: Personas, sip_plan: Plan, outcomes_dir: Path,
) -> None:
    found = sip.progress(sip_plan, personas.fresno.lead, TODAY)
    (strategy,) = found.strategies
    assert strategy.text == STRATEGY
    (item,) = strategy.indicators
    years = {year.label: year for year in item.years}
    # Baseline 2023 Q1; Year 1 ends a year later; Year 2 is past but the data do not reach it.
    assert [(y.label, y.end) for y in item.years] == [
        ("Baseline", D(2023, 3, 31)), ("Year 1", D(2024, 3, 31)), ("Year 2", D(2025, 3, 31))]
    assert years["Year 2"].shown == sip.NO_DATA_YET
    assert years["Year 1"].covers == "12 months 2023-04-01 to 2024-03-31"
    # The plan page's figure for that quarter ...
    page = {a.quarter: a for a in indicator_actuals.actuals(
        Indicator.objects.get(), personas.fresno.lead, TODAY)}
    year_one = years["Year 1"].row
    assert year_one is not None
    assert year_one.actual == page[D(2024, 3, 31)]
    # ... is the engine's for Fresno and those 12 months, written as the dashboards write it.
    (row,) = [r for r in compute_cli(indicator_actuals.outcome_period(D(2024, 3, 31)),
                                     outcomes_dir, "permanency_12m_entries", by="county")
              if r["county"] == FRESNO]
    assert year_one.actual.value == pytest.approx(row["value"])
    assert years["Year 1"].shown == f"{row['value'] * 100:.1f}%"
    assert item.measured.track.label in ("On track", "Off track")

    # The Excel file holds the same words, sheet by sheet.
    book = load_workbook(io.BytesIO(sip.workbook(found)))
    assert book.sheetnames == ["Strategies and targets", "Yearly actuals", "About"]
    yearly = [[c.value for c in r] for r in book["Yearly actuals"].iter_rows()]
    assert yearly[0] == sip.YEAR_HEADERS
    assert [f"1. {STRATEGY}", "Permanency in 12 months for children entering care", "Year 1",
            "2024-03-31", "12 months 2023-04-01 to 2024-03-31", years["Year 1"].shown,
            None] in yearly
    summary = [[c.value for c in r] for r in book["Strategies and targets"].iter_rows()]
    assert summary[1][3:8] == ["2023 Q1", "30.0%", "45.0%", "2027-12-31",
                               item.measured.track.label]


@pytest.mark.usefixtures("outcomes_dir")
def test_the_pdf_and_the_excel_download_hold_the_strategy_and_its_figures(
    personas: Personas, sip_plan: Plan, login_as: Any, tmp_path: Path,
) -> None:
    client = login_as(personas.fresno.lead)
    url = reverse("reports:sip_progress", args=[sip_plan.pk])
    response = client.get(url, {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    found = sip.progress(sip_plan, personas.fresno.lead, datetime.date.today())
    year_one = next(y for y in found.strategies[0].indicators[0].years if y.number == 1)
    assert "System Improvement Plan annual progress: Fresno SIP 2023-2028" in text
    assert f"Strategy 1: {STRATEGY}" in text
    assert f"Year 1 2024-03-31 12 months 2023-04-01 to 2024-03-31 {year_one.shown}" in text
    assert "2023 Q1 30.0% 45.0% 2027-12-31" in text
    assert AuditEvent.objects.filter(action="export", object_type="reports:sip_progress",
                                     actor=personas.fresno.lead).exists()

    excel = client.get(url, {"format": "xlsx"})
    assert excel["Content-Disposition"].endswith('.xlsx"')
    assert load_workbook(io.BytesIO(excel.content)).sheetnames[0] == "Strategies and targets"


def test_another_county_another_kind_of_plan_and_an_unknown_format_are_refused(
    personas: Personas, sip_plan: Plan, login_as: Any,
) -> None:
    url = reverse("reports:sip_progress", args=[sip_plan.pk])
    assert login_as(personas.humboldt.lead).get(url).status_code == 404
    client = login_as(personas.fresno.lead)
    strategic = a_plan(personas.fresno.lead, personas.fresno.county)
    assert client.get(reverse("reports:sip_progress", args=[strategic.pk])).status_code == 404
    wrong = client.get(url, {"format": "docx"})
    assert (wrong.status_code, wrong.text) == (400, "format: must be pdf or xlsx, not 'docx'")


def test_the_plan_page_links_the_sip_reports_only_for_a_sip_plan(
    personas: Personas, sip_plan: Plan, login_as: Any,
) -> None:
    client = login_as(personas.fresno.lead)
    page = client.get(reverse("implementation:plan_detail", args=[sip_plan.pk])).text
    assert "each objective below is a <strong>strategy</strong>" in page
    assert reverse("reports:sip_progress", args=[sip_plan.pk]) + "?format=pdf" in page
    assert reverse("reports:data_pack") + "?county=" + personas.fresno.county.fips in page
    strategic = a_plan(personas.fresno.lead, personas.fresno.county)
    other = client.get(reverse("implementation:plan_detail", args=[strategic.pk])).text
    assert "System Improvement Plan reports" not in other


def test_the_command_writes_either_file_and_names_what_it_cannot_do(
    personas: Personas, sip_plan: Plan, tmp_path: Path, settings: Any,
) -> None:
    settings.OUTCOMES_DIR = tmp_path / "none"  # no outcome data: every actual says so
    printed = io.StringIO()
    call_command("report", "sip", "--plan", str(sip_plan.pk), "--out",
                 str(tmp_path / "sip.xlsx"), stdout=printed)
    assert "annual progress of Fresno SIP 2023-2028, 1 strategy, 1 indicator." in \
        printed.getvalue()
    assert load_workbook(tmp_path / "sip.xlsx").sheetnames[1] == "Yearly actuals"
    call_command("report", "sip", "--plan", str(sip_plan.pk), "--as",
                 personas.fresno.lead.username, "--out", str(tmp_path / "sip.pdf"),
                 stdout=io.StringIO())
    assert STRATEGY in pdf_text((tmp_path / "sip.pdf").read_bytes(), tmp_path)
    with pytest.raises(CommandError, match=r"sip.txt: end the file name in .pdf or"):
        call_command("report", "sip", "--plan", str(sip_plan.pk), "--out",
                     str(tmp_path / "sip.txt"))
    with pytest.raises(CommandError, match="no System Improvement Plan in the scope of "
                                           f"{personas.humboldt.lead.username}"):
        call_command("report", "sip", "--plan", str(sip_plan.pk), "--as",
                     personas.humboldt.lead.username, "--out", str(tmp_path / "x.pdf"))


@pytest.mark.parametrize(("kind", "covers"), [
    ("outcome", "12 months 2024-04-01 to 2025-03-31"),
    ("fidelity_share", "ratings 2025-01-01 to 2025-03-31"),
    ("assessment", "latest administration 2025-01-01 to 2025-03-31"),
    ("stage", "on 2025-03-31"),
])
def test_each_years_row_says_what_its_figure_covers(kind: str, covers: str) -> None:
    assert sip.period_of(Indicator(kind=kind), datetime.date(2025, 3, 31)) == covers
