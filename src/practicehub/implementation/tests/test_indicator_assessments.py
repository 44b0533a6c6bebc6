"""Measured objectives with an assessment score: each quarter's actual is the score the
assessments results page shows for the latest administration within it, quarters without one
have no value, the baseline fills from the data, bad sub-scales are refused and scope holds.

The world (``assessments.tests.world``): Fresno's drivers assessment (0-2 scale, percent of the
maximum, nine items) on 2025-09-01 with eight items at 1 and one at 0, and on 2026-02-01 with
eight at 2 and one at 0. By hand: the total is 8 of 18 = 44.4% then 16 of 18 = 88.9%; the
competency section (selection, training, coaching, fidelity) 3 of 8 = 37.5% then 6 of 8 = 75.0%.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse

from practicehub.assessments.services import administrations, results
from practicehub.assessments.tests.world import AssessmentWorld, build_assessment_world
from practicehub.implementation.models import Indicator
from practicehub.implementation.services import indicator_actuals, indicator_edits, measured
from practicehub.implementation.services.access import InvalidInput
from practicehub.implementation.tests.helpers import an_objective
from practicehub.testing.personas import Personas

D = datetime.date
# Quarters 2025 Q3 (the first administration), Q4 (none), 2026 Q1 (the second), Q2 (none).
TODAY = D(2026, 7, 1)


@pytest.fixture
def world(personas: Personas) -> AssessmentWorld:
    return build_assessment_world(personas)


def _indicator(personas: Personas, world: AssessmentWorld, **fields: Any) -> Indicator:
    objective = an_objective(personas.fresno.lead, world.plan, "Drivers in place")
    values: dict[str, Any] = {
        "kind": "assessment", "instrument": world.first.instrument, "subscale": "",
        "baseline_on": D(2025, 8, 15), "baseline_value": 44.4, "target_value": 80.0,
        "target_on": D(2026, 12, 31), **fields}
    return indicator_edits.add_indicator(personas.fresno.lead, objective, **values)


def test_actuals_are_the_results_page_score_of_the_quarter_and_empty_quarters_have_no_value(
    personas: Personas, world: AssessmentWorld, login_as: Any,
) -> None:
    lead = personas.fresno.lead
    indicator = _indicator(personas, world)
    found = indicator_actuals.actuals(indicator, lead, TODAY)
    assert [(a.label, a.value) for a in found] == [
        ("2025 Q3", 44.4), ("2025 Q4", None), ("2026 Q1", 88.9), ("2026 Q2", None)]
    # The same figures as the results page, read through its service and on the page itself.
    for administration, value in ((world.first, 44.4), (world.second, 88.9)):
        shown = results.results_view(administration, lead).results
        assert shown is not None
        assert float(shown.total.shown) == value
        page = login_as(lead).get(reverse("assessments:administration",
                                          args=[administration.pk]))
        assert f"<strong>{value}</strong>" in page.text
    assert indicator_actuals.track_of(indicator, found).status == "on_track"


def test_a_sub_scale_reads_that_sub_scale_score(personas: Personas,
                                                world: AssessmentWorld) -> None:
    indicator = _indicator(personas, world, subscale="competency", baseline_value=37.5)
    found = indicator_actuals.actuals(indicator, personas.fresno.lead, TODAY)
    assert [a.value for a in found] == [37.5, None, 75.0, None]
    answer = administrations.results_of(world.second)
    assert answer is not None
    assert next(s for s in answer.sections if s.code == "competency").shown == 75


def test_the_latest_scored_administration_of_the_quarter_counts_and_an_unscored_one_not(
    personas: Personas, world: AssessmentWorld,
) -> None:
    lead, county = personas.fresno.lead, personas.fresno.county
    later = administrations.start_administration(
        lead, instrument=world.first.instrument, node=county,
        administered_on=D(2026, 3, 20), method="consensus", team=world.team)
    indicator = _indicator(personas, world)
    assert indicator_actuals.actuals(indicator, lead, TODAY)[2].value == 88.9  # not scored yet
    scores = {code: 2 for code in administrations.answers_of(world.second)}
    administrations.record_scores(lead, later, scores,
                                  {code: {"Ana": v} for code, v in scores.items()})
    assert indicator_actuals.actuals(indicator, lead, TODAY)[2].value == 100.0


def test_the_plan_page_and_api_show_the_scores_and_the_quarters_without_one(
    personas: Personas, world: AssessmentWorld, login_as: Any,
) -> None:
    indicator = _indicator(personas, world)
    client = login_as(personas.fresno.lead)
    page = client.get(reverse("implementation:plan_detail", args=[world.plan.pk])).text
    assert f"{world.first.instrument.name}: total score" in page
    rows = re.findall(r'<th scope="row">(20\d\d Q\d)</th><td>([^<]*)</td>', page)
    # The page reads up to the real today: every quarter after 2026 Q1 has no administration.
    assert rows[:4] == [("2025 Q3", "44.4%"), ("2025 Q4", "no value"), ("2026 Q1", "88.9%"),
                        ("2026 Q2", "no value")]
    assert all(shown == "no value" for _, shown in rows[4:])
    # The chart's axis writes scores whole (80, not 8e+1 as a one-digit general format did).
    ticks = re.findall(r">(\d[^<]*)</text>", page)
    assert "80" in ticks
    assert not [t for t in ticks if "e+" in t]
    answer = client.get(reverse("api:implementation_plan", args=[world.plan.pk])).json()
    (given,) = [i for o in answer["objectives"] for i in o["indicators"]]
    assert (given["id"], given["kind"], given["instrument"], given["subscale"]) == (
        indicator.pk, "assessment", "drivers-capacity", "")
    assert [a["value"] for a in given["actuals"]][:3] == [44.4, None, 88.9]


def test_the_baseline_fills_from_the_baseline_quarter_administration(
    personas: Personas, world: AssessmentWorld,
) -> None:
    indicator = _indicator(personas, world, baseline_value=None, fill_baseline=True)
    assert indicator.baseline_value == 44.4
    with pytest.raises(InvalidInput) as refused:
        _indicator(personas, world, baseline_on=D(2025, 11, 1), baseline_value=None,
                   fill_baseline=True)
    assert refused.value.field == "baseline_value"
    assert "no figure for 2025 Q4" in refused.value.message
    assert Indicator.objects.count() == 1


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"subscale": "practice"}, "subscale", "has no sub-scale 'practice'"),
    ({"instrument": None}, "instrument", "name the assessment instrument"),
    ({"target_value": 120.0}, "target_value", "percent of the maximum score"),
])
def test_a_bad_assessment_indicator_is_refused_naming_the_field(
    personas: Personas, world: AssessmentWorld, fields: dict[str, Any], field: str, words: str,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _indicator(personas, world, **fields)
    assert refused.value.field == field
    assert words in refused.value.message
    assert not Indicator.objects.exists()


def test_the_form_offers_the_site_instruments_and_refuses_an_unknown_sub_scale(
    personas: Personas, world: AssessmentWorld, login_as: Any,
) -> None:
    objective = an_objective(personas.fresno.lead, world.plan, "Drivers in place")
    client = login_as(personas.fresno.lead)
    url = reverse("implementation:indicator_create", args=[objective.pk])
    form = client.get(url).text
    assert f">{world.first.instrument}</option>" in form
    # Only the instruments administered at the site are offered, with their sub-scales.
    assert "Team functioning check" not in form
    assert '<option value="competency">Competency drivers</option>' in form
    post = {"kind": "assessment", "instrument": str(world.first.instrument.pk),
            "subscale": "practice", "baseline_on": "2025-09-30", "baseline_value": "44.4",
            "target_value": "80", "target_on": "2026-12-31", "direction": "up"}
    refused = client.post(url, post)
    assert refused.status_code == 400
    assert "practice is not one of the available choices" in refused.text
    assert not Indicator.objects.exists()
    assert client.post(url, {**post, "subscale": "competency"}).status_code == 302
    kept = Indicator.objects.get()
    assert (kept.subscale, kept.baseline_value, kept.target_value) == ("competency", 44.4, 80)


def test_outside_scope_sees_no_score_and_the_indicator_pages_answer_404(
    personas: Personas, world: AssessmentWorld, login_as: Any,
) -> None:
    indicator = _indicator(personas, world)
    # Administrations the viewer may not see never feed an actual.
    found = indicator_actuals.actuals(indicator, personas.humboldt.lead, TODAY)
    assert [a.value for a in found] == [None, None, None, None]
    shown = measured.measured(indicator, personas.humboldt.lead, TODAY)
    assert shown.track.status == "no_data"
    for url in (reverse("implementation:indicator_edit", args=[indicator.pk]),
                reverse("implementation:indicator_delete", args=[indicator.pk])):
        assert login_as(personas.humboldt.lead).get(url).status_code == 404
