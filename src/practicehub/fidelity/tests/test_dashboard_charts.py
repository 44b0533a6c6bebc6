"""The dashboard's charts draw only the groups their tables show: a month hidden for having
fewer than five workers is in neither the run chart nor its median."""

from __future__ import annotations

from datetime import date
from typing import Any

from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.services.dashboards import Scope
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def _three_months(personas: Personas, observe: Observe) -> None:
    for month, scores in ((1, [1, 1, 1, 1, 1]), (2, [3, 3, 3, 3, 3]), (3, [3, 3, 3, 3, 3])):
        observe(personas.fresno.practitioner, personas.fresno.coach, scores,
                on=date(2025, month, 5))


def test_a_practitioner_sees_no_run_chart_for_months_the_table_hides(
    personas: Personas, tool: ObservationTool, observe: Observe, login_as: Any,
) -> None:
    _three_months(personas, observe)
    page = login_as(personas.fresno.practitioner).get("/fidelity/").content.decode()
    run_section = page[page.index("<h2>Run chart by month</h2>"):page.index("<h2>By quarter")]
    assert run_section.count("Hidden: fewer than 5 workers") == 3
    assert "No month has enough workers to draw the run chart" in run_section
    assert "<svg" not in run_section


def test_a_coach_who_sees_the_workers_gets_every_month_in_the_chart(
    personas: Personas, tool: ObservationTool, observe: Observe, login_as: Any,
) -> None:
    _three_months(personas, observe)
    page = login_as(personas.fresno.coach).get("/fidelity/").content.decode()
    run_section = page[page.index("<h2>Run chart by month</h2>"):page.index("<h2>By quarter")]
    assert "<svg" in run_section
    assert all(f"Month: 2025-0{month}" in run_section for month in (1, 2, 3))


def test_the_run_chart_median_leaves_hidden_months_out(
    personas: Personas, tool: ObservationTool, observe: Observe,
) -> None:
    _three_months(personas, observe)
    scope = Scope(tool=tool, node=personas.fresno.unit, sees_people=False)
    months = dashboards.by_period(scope, "month")
    assert [group.hidden for group in months] == [True, True, True]
    assert dashboards.run_chart_of(months).median is None
    assert dashboards.run_rows(months, dashboards.run_chart_of(months)) == [
        (group, "") for group in months]
