"""Worker-level data stays inside its audience: the worker, their coaching chain and authorised
roles. Everyone else sees aggregates, and person-level views and exports are audited."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from practicehub.audit.models import AuditEvent
from practicehub.fidelity.models import Observation
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def test_a_fresno_coach_gets_404_on_humboldt_observations(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    humboldt = observe(personas.humboldt.practitioner, personas.humboldt.coach, [3, 3])
    client = login_as(personas.fresno.coach)
    for name in ("fidelity:observation", "fidelity:observation_amend"):
        assert client.get(reverse(name, args=[humboldt.pk])).status_code == 404
    worker = reverse("fidelity:worker", args=[personas.humboldt.practitioner.pk])
    assert client.get(worker).status_code == 404
    assert client.get(f"/api/v1/fidelity/observations/{humboldt.pk}").status_code == 404


def test_a_practitioner_sees_only_their_own_ratings(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    from practicehub.fidelity.tests.test_dashboards import _workers

    colleague = _workers(1, "fresno-central-unit-a")[0]
    mine = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2])
    theirs = observe(colleague, personas.fresno.coach, [1, 1])
    client = login_as(personas.fresno.practitioner)
    listed = client.get(reverse("fidelity:observations")).content.decode()
    assert reverse("fidelity:observation", args=[mine.pk]) in listed
    assert reverse("fidelity:observation", args=[theirs.pk]) not in listed
    assert client.get(reverse("fidelity:observation", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("fidelity:worker", args=[colleague.pk])).status_code == 404
    api = client.get("/api/v1/fidelity/observations").json()
    assert [item["id"] for item in api] == [mine.pk]


def test_a_partner_sees_no_person_level_data(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    observation = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3])
    client = login_as(personas.fresno.partner)
    assert client.get(reverse("fidelity:observations")).status_code == 403
    assert client.get(reverse("fidelity:observation", args=[observation.pk])).status_code == 403
    assert client.get("/api/v1/fidelity/observations").status_code == 403
    assert client.get(reverse("fidelity:observation_export")).status_code == 403
    page = client.get(reverse("fidelity:dashboard")).content.decode()
    assert "Hidden: fewer than 5 workers" in page
    assert str(personas.fresno.practitioner) not in page
    scores = client.get("/api/v1/fidelity/scores", {
        "tool_id": observation.tool_id, "node": "fresno", "by": "worker"}).json()
    assert scores == []


def test_the_coaching_chain_sees_the_worker_and_the_view_is_audited(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    observation = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3])
    response = login_as(personas.fresno.lead).get(
        reverse("fidelity:observation", args=[observation.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="fidelity.observation",
                                     object_id=str(observation.pk)).exists()


def test_an_export_is_audited_and_holds_only_records_in_scope(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3])
    observe(personas.humboldt.practitioner, personas.humboldt.coach, [3, 3])
    body = login_as(personas.fresno.coach).get(reverse("fidelity:observation_export"))
    rows = body.content.decode().strip().splitlines()
    assert len(rows) == 2
    assert "fresno_worker" in rows[1]
    assert AuditEvent.objects.filter(action="export",
                                     object_type="fidelity:observation_export").exists()
    assert Observation.objects.count() == 2


def test_an_export_quotes_a_cell_a_spreadsheet_would_run_as_a_formula(
    personas: Personas, observe: Observe, login_as: Any,
) -> None:
    observation = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3])
    observation.tool.name = '=HYPERLINK("http://example.invalid","open")'
    observation.tool.save()
    body = login_as(personas.fresno.coach).get(reverse("fidelity:observation_export"))
    row = body.content.decode("utf-8-sig").strip().splitlines()[1]
    assert '\'=HYPERLINK(""http://example.invalid"",""open"")' in row
