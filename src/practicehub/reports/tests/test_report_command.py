"""``practicehub report site``: the PDF of a site or of a region's sites compared, as a person's
pages show them or as the aggregate edition; what it cannot read is refused naming it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from practicehub.audit.models import AuditEvent
from practicehub.implementation.tests.world import build_world
from practicehub.reports.tests.test_report_jobs import pdf_text
from practicehub.testing.personas import Personas


def _report(tmp_path: Path, *arguments: str) -> str:
    out = tmp_path / "report.pdf"
    printed = io.StringIO()
    call_command("report", "site", *arguments, "--out", str(out), stdout=printed,
                 stderr=io.StringIO())
    assert f"Wrote {out}" in printed.getvalue()
    return pdf_text(out.read_bytes(), tmp_path)


def _refusal(tmp_path: Path, *arguments: str) -> str:
    with pytest.raises(CommandError) as refused:
        _report(tmp_path, *arguments)
    return str(refused.value)


@pytest.fixture(autouse=True)
def _no_outcome_data(settings: Any, tmp_path: Path) -> None:
    settings.OUTCOMES_DIR = tmp_path / "outcomes"


def test_a_region_gets_its_sites_compared_one_table_per_section(
    personas: Personas, tmp_path: Path,
) -> None:
    world = build_world(personas)
    text = _report(tmp_path, "--node", "rta-central", "--period", "26A26B",
                   "--as", personas.fresno.regional_support.username)
    assert "Progress report: sites of Central California Training Academy region" in text
    assert "Sites compared: Fresno County" in text
    assert "Plans by site" in text
    assert "Current stage by site" in text
    assert world.plan.title in text
    assert "Humboldt" not in text  # another region


def test_without_as_the_command_builds_the_aggregate_edition_and_records_the_export(
    personas: Personas, tmp_path: Path,
) -> None:
    build_world(personas)
    text = _report(tmp_path, "--node", "fresno")
    assert "Produced by: the command line (aggregate edition: outcome figures suppressed, small" \
        in text
    assert "No outcome data are imported." in text
    event = AuditEvent.objects.get(action="export", object_type="reports.site")
    assert (event.actor_label, event.object_id) == ("command line", "fresno")


def test_an_unknown_site_an_unreadable_period_and_an_unknown_person_are_named(
    personas: Personas, tmp_path: Path,
) -> None:
    assert _refusal(tmp_path, "--node", "atlantis") == (
        "--node: No site “atlantis”: no place of the organisation tree has that code.")
    assert _refusal(tmp_path, "--node", "fresno", "--period", "2026Q9").startswith(
        "--period: Period “2026Q9” cannot be read: '2026Q9' is not a period")
    assert _refusal(tmp_path, "--node", "fresno", "--as", "nobody") == (
        "--as nobody: no person has that user name.")
    assert _refusal(tmp_path, "--node", "fresno", "--as", personas.humboldt.lead.username) == (
        f"--node fresno: not in the scope of {personas.humboldt.lead.username}.")
    assert "is a partner organisation, not a site" in _refusal(
        tmp_path, "--node", "fresno-community-partners")
