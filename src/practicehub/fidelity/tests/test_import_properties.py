"""Whatever file a coach uploads, the import stores every row or refuses with located problems,
never an unexpected exception and never a partial write."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from practicehub.accounts.models import User
from practicehub.fidelity.models import Observation, ObservationTool
from practicehub.fidelity.services.importing import (
    CSV_FIELDS,
    REDCAP_FIELDS,
    ImportRefused,
    import_observations,
    redcap_field,
)
from practicehub.testing.personas import Personas

SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
JUNK = ["", " ", "x", "0", "-1", "9999-99-99", "2999-01-01", "=SUM(A1)", "\t", "\r", "\n", '"',
        "ü", "\u202e", "humboldt_worker", "humboldt_coach", "fresno_lead", "state_admin",
        "fresno_partner", "r1", "r2", "NO", "NA", "n/a", "3.0", "1e3", "x" * 300]
VALID = {
    "reference": ["r1", "r2", "r3"], "worker": ["fresno_worker"],
    "observer": ["fresno_coach", "fresno_coach", "fresno_lead"],
    "observer_kind": ["coach", "coach", "partner"],
    "observed_on": ["2025-03-03", "2025-03-04"], "setting": ["home_visit", "cft_meeting"],
    "paired_with": ["", "", "", "r1"], "notes": ["", "fine"],
}
REDCAP_VALID = {
    "record_id": VALID["reference"], "worker_username": VALID["worker"],
    "observer_username": VALID["observer"], "observer_type": ["1", "1", "2"],
    "obs_date": VALID["observed_on"], "obs_setting": ["1", "2"],
    "paired_record_id": VALID["paired_with"], "obs_notes": VALID["notes"],
}
SCORES = ["1", "2", "3", "3", "not_observed", "NA"]
REDCAP_SCORES = ["1", "2", "3", "3", "98", "99"]


@st.composite
def _row(draw: st.DrawFn, header: list[str], columns: dict[str, list[str]], index: int,
         scores: list[str]) -> list[str]:
    """A plausible row, then up to two of its cells replaced by junk."""
    reference = next(iter(columns))
    row = [f"r{index}" if name == reference else draw(st.sampled_from(columns.get(name, scores)))
           for name in header]
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        row[draw(st.integers(0, len(row) - 1))] = draw(
            st.one_of(st.sampled_from(JUNK), st.text(max_size=8)))
    return row


@st.composite
def files(draw: st.DrawFn, columns: dict[str, list[str]], codes: list[str],
          scores: list[str]) -> str:
    """A CSV whose header is mostly right and whose cells are mostly plausible."""
    header = list(columns) + codes
    if draw(st.booleans()):
        header = draw(st.permutations(header))
    if draw(st.integers(0, 4)) == 0:
        header = header[:-1] + draw(st.sampled_from([[], ["extra"], [header[0]]]))
    count = draw(st.integers(0, 3))
    rows = [draw(_row(header, columns, index, scores)) for index in range(1, count + 1)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.integers(0, 5)) == 0:  # a broken file: cut anywhere, or junk appended
        text = text[: draw(st.integers(0, len(text)))] + draw(st.text(max_size=10))
    return text


def _check(text: str, tool: ObservationTool, user: User, *, redcap: bool) -> None:
    before = Observation.objects.count()
    try:
        stored = import_observations(text, tool, user, redcap=redcap)
    except ImportRefused as refused:
        event("refused")
        assert Observation.objects.count() == before, "a refused import wrote rows"
        lines = len(text.splitlines()) + 1
        for problem in refused.problems:
            assert 1 <= problem.row <= lines, problem
            assert problem.message, problem
        return
    event("imported")
    assert stored
    assert Observation.objects.count() == before + len(stored)


@pytest.fixture
def codes(tool: ObservationTool) -> list[str]:
    return list(tool.behaviors.order_by("order").values_list("code", flat=True))


@SETTINGS
@given(data=st.data())
def test_any_csv_file_is_imported_whole_or_refused_with_located_problems(
    data: st.DataObject, tool: ObservationTool, codes: list[str], personas: Personas,
) -> None:
    _check(data.draw(files(VALID, codes, SCORES)), tool, personas.fresno.coach, redcap=False)


@SETTINGS
@given(data=st.data())
def test_any_redcap_export_is_imported_whole_or_refused_with_located_problems(
    data: st.DataObject, tool: ObservationTool, codes: list[str], personas: Personas,
) -> None:
    variables = [redcap_field(code) for code in codes]
    text = data.draw(files(REDCAP_VALID, variables, REDCAP_SCORES))
    _check(text, tool, personas.fresno.coach, redcap=True)


@SETTINGS
@given(text=st.text(max_size=200))
def test_any_text_at_all_is_refused_with_located_problems_or_imported(
    text: str, tool: ObservationTool, personas: Personas,
) -> None:
    for redcap in (False, True):
        _check(text, tool, personas.fresno.coach, redcap=redcap)


def test_the_fields_tried_are_the_import_columns() -> None:
    assert tuple(VALID) == CSV_FIELDS
    assert tuple(REDCAP_VALID) == REDCAP_FIELDS


def test_a_row_with_more_cells_than_columns_is_refused_naming_its_line(
    tool: ObservationTool, codes: list[str], personas: Personas,
) -> None:
    header = ",".join((*CSV_FIELDS, *codes))
    text = f"{header}\nr1,fresno_worker,fresno_coach,coach,2025-03-03,home_visit,,,1,1,1,1,1,9\n"
    with pytest.raises(ImportRefused) as refused:
        import_observations(text, tool, personas.fresno.coach)
    assert [(p.row, p.message) for p in refused.value.problems] == [
        (2, "14 cells but the header names 13 columns")]


def test_a_carriage_return_inside_a_cell_is_read_not_a_crash(
    tool: ObservationTool, codes: list[str], personas: Personas,
) -> None:
    header = ",".join((*CSV_FIELDS, *codes))
    text = f"{header}\nr1,fresno_worker,fresno_coach,coach,2025-03-03,home_visit,,a\rb,1,1,1,1,1\n"
    with pytest.raises(ImportRefused) as refused:
        import_observations(text, tool, personas.fresno.coach)
    assert Observation.objects.count() == 0
    assert refused.value.problems
