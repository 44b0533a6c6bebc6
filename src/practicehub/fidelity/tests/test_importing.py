"""CSV and REDCap imports: good files become submitted observations; a bad file names every
problem and imports nothing."""

from __future__ import annotations

import pytest

from practicehub.fidelity.models import Observation, ObservationTool
from practicehub.fidelity.services.importing import (
    CSV_FIELDS,
    ImportRefused,
    Problem,
    import_observations,
    redcap_field,
)
from practicehub.testing.personas import Personas


def _codes(tool: ObservationTool) -> list[str]:
    return list(tool.behaviors.order_by("order").values_list("code", flat=True))


def _csv(tool: ObservationTool, *rows: str) -> str:
    return "\n".join([",".join([*CSV_FIELDS, *_codes(tool)]), *rows]) + "\n"


def test_a_good_csv_imports_first_and_second_observers(
    personas: Personas, tool: ObservationTool,
) -> None:
    text = _csv(tool,
                "r1,fresno_worker,fresno_coach,coach,2025-01-10,home_visit,,,3,3,3,2,NA",
                "r2,fresno_worker,fresno_partner,partner,2025-01-10,home_visit,r1,,3,2,3,2,NA")
    stored = import_observations(text, tool, personas.fresno.coach)
    assert len(stored) == 2
    second = Observation.objects.get(reference="r2")
    assert second.paired_with == Observation.objects.get(reference="r1")
    assert second.observer_kind == "partner"
    assert second.status == "submitted"
    assert Observation.objects.get(reference="r1").meets_fidelity is False


def test_a_bad_csv_names_every_bad_row_and_column_and_imports_nothing(
    personas: Personas, tool: ObservationTool,
) -> None:
    code = _codes(tool)[1]
    text = _csv(tool,
                "r1,fresno_worker,fresno_coach,coach,2025-01-10,home_visit,,,3,3,3,2,NA",
                "r2,nobody,fresno_coach,coach,10/01/2025,court,,,3,7,3,2,NA",
                "r3,humboldt_worker,fresno_coach,chief,2025-01-11,home_visit,r9,,3,3,3,3,3")
    with pytest.raises(ImportRefused) as refused:
        import_observations(text, tool, personas.fresno.coach)
    found = {(p.row, p.column) for p in refused.value.problems}
    assert found == {(3, "worker"), (3, "observed_on"), (3, "setting"), (3, code),
                     (4, "worker"), (4, "observer_kind")}
    assert Observation.objects.count() == 0


def test_a_missing_or_unknown_column_is_named(personas: Personas, tool: ObservationTool) -> None:
    text = "reference,worker,colour\nr1,fresno_worker,blue\n"
    with pytest.raises(ImportRefused) as refused:
        import_observations(text, tool, personas.fresno.coach)
    assert Problem(1, "colour", "unknown column") in refused.value.problems
    assert Problem(1, "observed_on", "missing column") in refused.value.problems


def test_a_redcap_export_uses_coded_values(personas: Personas, tool: ObservationTool) -> None:
    variables = [redcap_field(code) for code in _codes(tool)]
    header = ("record_id,redcap_event_name,worker_username,observer_username,observer_type,"
              "obs_date,obs_setting,paired_record_id,obs_notes," + ",".join(variables)
              + ",fidelity_observation_complete")
    row = "7,baseline_arm_1,fresno_worker,fresno_coach,1,2025-02-03,2,,Good visit,3,3,98,99,3,2"
    stored = import_observations(f"{header}\n{row}\n", tool, personas.fresno.coach, redcap=True)
    assert stored[0].setting == "home_visit"
    assert stored[0].ratings.filter(mark="not_observed").count() == 1
    assert stored[0].ratings.filter(mark="not_applicable").count() == 1
    assert stored[0].meets_fidelity is True
