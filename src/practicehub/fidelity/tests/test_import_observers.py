"""Who an import may name as observer: exactly the people the start form would let the importing
user name (``observer_refusal``). Anybody else is refused with the row's line and column, and
nothing is written, so nobody outside the worker's coaching chain gains the record."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.models import User
from practicehub.accounts.roles import Role
from practicehub.fidelity.models import Observation, ObservationTool, Setting
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.importing import (
    CSV_FIELDS,
    ImportRefused,
    Problem,
    import_observations,
    redcap_field,
)
from practicehub.fidelity.services.observations import NewObservation, start_observation
from practicehub.testing.personas import PASSWORD, Personas

RATINGS = "3,3,3,2,NA"


def _codes(tool: ObservationTool) -> list[str]:
    return list(tool.behaviors.order_by("order").values_list("code", flat=True))


def _csv(tool: ObservationTool, *rows: str) -> str:
    return "\n".join([",".join([*CSV_FIELDS, *_codes(tool)]), *rows]) + "\n"


def _row(reference: str, observer: str, kind: str, paired_with: str = "") -> str:
    return (f"{reference},fresno_worker,{observer},{kind},2025-01-10,home_visit,{paired_with},,"
            f"{RATINGS}")


def _coach_at(username: str, node_code: str) -> User:
    return ensure_person(DemoLogin(username, "Extra", "Coach", Role.COACH, node_code),
                         password=PASSWORD)


REFUSED = [
    ("humboldt_coach", "coach", "humboldt_coach is not a coach of this worker's unit"),
    ("fresno_lead", "coach", "fresno_lead is not a coach of this worker's unit"),
    ("fresno_partner", "coach", "fresno_partner is a partner, so cannot observe as coach"),
    ("humboldt_partner", "partner",
     "humboldt_partner is a partner of another site, not of this worker's unit"),
    ("fresno_coach", "partner", "fresno_coach is not a partner, so cannot observe as partner"),
]


@pytest.mark.parametrize(("observer", "kind", "message"), REFUSED)
def test_an_import_naming_an_observer_the_form_would_not_allow_is_refused_at_its_cell(
    personas: Personas, tool: ObservationTool, observer: str, kind: str, message: str,
) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_observations(_csv(tool, _row("r1", observer, kind)), tool, personas.fresno.coach)
    assert refused.value.problems == [Problem(2, "observer", message)]
    assert Observation.objects.count() == 0


def test_a_paired_observer_outside_the_importers_sites_is_refused_and_nothing_is_written(
    personas: Personas, tool: ObservationTool,
) -> None:
    _coach_at("fresno_county_coach", "fresno")  # coaches the unit, but above fresno_coach
    text = _csv(tool, _row("r1", "fresno_coach", "coach"),
                _row("r2", "fresno_county_coach", "coach", paired_with="r1"))
    with pytest.raises(ImportRefused) as refused:
        import_observations(text, tool, personas.fresno.coach)
    assert refused.value.problems == [
        Problem(3, "observer", "fresno_county_coach is outside the sites you observe")]
    assert Observation.objects.count() == 0


def test_the_redcap_path_refuses_another_countys_coach_the_same_way(
    personas: Personas, tool: ObservationTool,
) -> None:
    header = ("record_id,worker_username,observer_username,observer_type,obs_date,obs_setting,"
              "paired_record_id,obs_notes," + ",".join(redcap_field(c) for c in _codes(tool)))
    row = "7,fresno_worker,humboldt_coach,1,2025-02-03,2,,,3,3,98,99,3"
    with pytest.raises(ImportRefused) as refused:
        import_observations(f"{header}\n{row}\n", tool, personas.fresno.coach, redcap=True)
    assert refused.value.problems == [
        Problem(2, "observer", "humboldt_coach is not a coach of this worker's unit")]
    assert Observation.objects.count() == 0


def test_own_coaches_and_the_sites_partner_still_import(
    personas: Personas, tool: ObservationTool,
) -> None:
    _coach_at("fresno_unit_coach", "fresno-central-unit-a")
    text = _csv(tool, _row("r1", "fresno_coach", "coach"),
                _row("r2", "fresno_partner", "partner", paired_with="r1"),
                _row("r3", "fresno_unit_coach", "coach"))
    stored = import_observations(text, tool, personas.fresno.coach)
    assert sorted((o.reference, o.observer.username, o.observer_kind) for o in stored) == [
        ("r1", "fresno_coach", "coach"), ("r2", "fresno_partner", "partner"),
        ("r3", "fresno_unit_coach", "coach")]


def test_the_import_page_shows_the_refusal_with_line_and_column_and_writes_nothing(
    personas: Personas, tool: ObservationTool, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    upload = SimpleUploadedFile(
        "observations.csv",
        _csv(tool, _row("r1", "fresno_coach", "coach"),
             _row("r2", "humboldt_coach", "coach", paired_with="r1")).encode(),
        content_type="text/csv")
    response = client.post(reverse("fidelity:observation_import"),
                           {"tool": tool.pk, "file_format": "csv", "file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert ('<tr><th scope="row">3</th><td>observer</td>'
            "<td>humboldt_coach is not a coach of this worker&#x27;s unit</td></tr>") in page
    assert Observation.objects.count() == 0
    humboldt = login_as(personas.humboldt.coach)
    assert humboldt.get("/api/v1/fidelity/observations").json() == []


def test_the_start_form_refuses_a_coach_recording_themself_as_a_partner(
    personas: Personas, tool: ObservationTool,
) -> None:
    with pytest.raises(FidelityError, match="fresno_coach is not a partner"):
        start_observation(NewObservation(
            tool=tool, worker=personas.fresno.practitioner, observer=personas.fresno.coach,
            observed_on=date(2025, 2, 2), setting=Setting.HOME_VISIT, observer_kind="partner"),
            personas.fresno.coach)
    assert Observation.objects.count() == 0
