"""The county self-assessment data pack: its figures are ``practicehub outcomes compute``'s for
the measure, county (or state), group and federal year; the page, the Excel file (a sheet per
measure) and the CSV hold the same; peers and years asked for wrongly are refused by name, a
county outside the scope answers 404, and peers outside it are always suppressed."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from practicehub.outcomes.services import dashboard_data, data_pack
from practicehub.outcomes.services.access import outcome_scope
from practicehub.outcomes.services.dashboard_rows import OVERVIEW_MEASURES
from practicehub.reports.tests.conftest import FRESNO, compute_cli
from practicehub.testing.personas import Personas

URL = "/reports/data-pack/"
TULARE = "06107"


def _pack(user: Any, years: str = "", peers: tuple[str, ...] = ()) -> data_pack.DataPack:
    with dashboard_data.opened() as data:
        assert data is not None
        return data_pack.build(data, data_pack.asked(data, outcome_scope(user), "", years,
                                                     list(peers)))


@pytest.mark.usefixtures("outcomes_dir")
def test_every_figure_is_what_outcomes_compute_gives_for_the_measure_place_group_and_year(
    personas: Personas, outcomes_dir: Path,
) -> None:
    # The evaluator sees Fresno unsuppressed; the state and a peer only suppressed.
    pack = _pack(personas.fresno.evaluator, "3", (TULARE,))
    assert [p.name for p in pack.asked.places] == ["Fresno", "California (all counties)",
                                                   "Tulare"]
    assert [p.suppress for p in pack.asked.places] == [False, True, True]
    assert len(pack.periods) == 3
    assert pack.periods[-1].end.month == 9
    measures = ",".join(OVERVIEW_MEASURES)
    compared = 0
    for index, period in enumerate(pack.periods):
        county = {r["measure"]: r for r in compute_cli(period, outcomes_dir, measures, "county")
                  if r["county"] == FRESNO}
        state = {r["measure"]: r for r in compute_cli(period, outcomes_dir, measures,
                                                      suppress=True)}
        for table in pack.measures:
            fresno, california, _ = (row.figures[index] for row in table.rows)
            expected = county.get(table.spec.id)
            if expected is not None and expected["value"] is not None:
                assert fresno.value == pytest.approx(expected["value"]), table.spec.id
                compared += 1
            published = state.get(table.spec.id)
            if published is not None:
                assert california.suppressed == bool(published["suppressed"])
                if published["value"] is not None:
                    assert california.value == pytest.approx(published["value"])
        # Disparities: Black children in Fresno entering care, as the disparities page shows.
        (black,) = [r for r in compute_cli(period, outcomes_dir, "disparity_entries",
                                           "county,race_ethnicity")
                    if r["county"] == FRESNO and r["race_ethnicity"] == "black"]
        row = next(r for r in pack.stages[0].rows
                   if r.place.code == FRESNO and r.race == "black")
        assert row.disparity[index].value == pytest.approx(black["value"])
    assert compared >= 2 * len(pack.periods)
    # A peer outside the evaluator's scope is suppressed wherever a count is small.
    tulare = next(row for row in pack.measures[1].rows if row.place.code == TULARE)
    assert all(f.suppressed for f in tulare.figures)


@pytest.mark.usefixtures("outcomes_dir")
def test_the_page_the_excel_and_the_csv_hold_the_same_figures(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.lead)
    page = client.get(URL, {"years": "4", "peer": TULARE})
    assert page.status_code == 200
    pack = _pack(personas.fresno.lead, "4", (TULARE,))
    first = pack.measures[1]  # P1
    fresno = first.rows[0].figures
    assert f"<th scope=\"row\">Fresno</th><td>{fresno[0].text}" in page.text
    assert "FFY " + str(pack.periods[-1].end.year) in page.text
    assert f'<option value="{TULARE}" selected>Tulare</option>' in page.text

    excel = client.get(reverse("reports:data_pack_file"),
                       {"years": "4", "peer": TULARE, "format": "xlsx"})
    book = load_workbook(io.BytesIO(excel.content))
    assert len(book.sheetnames) == len(OVERVIEW_MEASURES) + 3 + 1  # + disparities + About
    sheet = [[c.value for c in r] for r in book.worksheets[1].iter_rows()]
    assert sheet[0][0] == "Place"
    assert len(sheet[0]) == 5
    assert [r[0] for r in sheet[1:]] == ["Fresno", "California (all counties)", "Tulare"]
    shown = [f"{v * 100:.1f}%" if isinstance(v, float) else v for v in sheet[1][1:]]
    assert shown == [f.text for f in fresno]

    text = client.get(reverse("reports:data_pack_file"),
                      {"years": "4", "peer": TULARE, "format": "csv"}).content.decode(
                          "utf-8-sig")
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    p1 = [r for r in rows if r["measure"] == first.spec.id and r["place_code"] == FRESNO]
    assert [r["shown"] for r in p1] == [f.text for f in fresno]
    assert "# Suppression: counts from 1 to 10" in text


@pytest.mark.usefixtures("outcomes_dir")
def test_wrong_years_an_unknown_peer_and_another_county_are_refused_by_name(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.lead)
    years = client.get(URL, {"years": "7"})
    assert years.status_code == 400
    assert "years: must be 3, 4 or 5 (years of data in the pack), not &#x27;7&#x27;" in years.text
    peer = client.get(URL, {"peer": "99999"})
    assert peer.status_code == 400
    assert "peer: no county &#x27;99999&#x27; in the imported data" in peer.text
    many = client.get(URL, {"peer": ["06001", "06005", "06007", "06009", "06011", "06013",
                                     "06015"]})
    assert "peer: pick at most 6 peer counties, not 7" in many.text
    itself = client.get(URL, {"peer": FRESNO})
    assert "peer: Fresno is the county of the pack" in itself.text
    assert client.get(URL, {"county": personas.humboldt.county.fips}).status_code == 404
    assert client.get(reverse("reports:data_pack_file"),
                      {"county": personas.humboldt.county.fips}).status_code == 404
    wrong = client.get(reverse("reports:data_pack_file"), {"years": "2", "format": "csv"})
    assert (wrong.status_code, wrong.text) == (
        400, "years: must be 3, 4 or 5 (years of data in the pack), not '2'")
    bad = client.get(reverse("reports:data_pack_file"), {"format": "pdf"})
    assert (bad.status_code, bad.text) == (400, "format: must be xlsx or csv, not 'pdf'")


@pytest.mark.usefixtures("outcomes_dir")
def test_the_county_outcome_pages_link_the_pack(personas: Personas, login_as: Any) -> None:
    page = login_as(personas.fresno.lead).get(reverse("outcomes:dashboard")).text
    assert 'href="/reports/data-pack/' in page
