"""``practicehub fidelity rebuild`` makes the kept rows a view would otherwise rebuild."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from practicehub.fidelity.models import DashboardState, DashboardWorkerStatus, ObservationTool
from practicehub.fidelity.services import aggregates
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


@pytest.mark.django_db
def test_rebuild_makes_every_tools_rows_and_says_how_many(
    personas: Personas, tool: ObservationTool, observe: Observe,
) -> None:
    observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3, 3, 3, 3],
            on=date(2025, 3, 5))
    DashboardWorkerStatus.objects.all().delete()  # as an upgrade adding the table leaves it
    DashboardState.objects.filter(tool=tool).update(fingerprint="")
    out = io.StringIO()
    call_command("fidelity", "rebuild", stdout=out)
    # The worker's unit and every place above it: unit, office, county, region, state.
    statuses = DashboardWorkerStatus.objects.filter(tool=tool, worker=personas.fresno.practitioner)
    assert sorted(statuses.values_list("considered", "meeting")) == [(1, 1)] * statuses.count()
    assert statuses.filter(place=personas.fresno.county).exists()
    assert f"{tool.name}: " in out.getvalue()
    assert f"and {statuses.count()} worker statuses in " in out.getvalue()
    assert DashboardState.objects.get(tool=tool).fingerprint == aggregates.fingerprint(tool)
