"""Measured objectives: the on-track rule at its edges, actuals equal to the outcome engine's and
the fidelity dashboard's figures, suppression, refusals, scope, audit and the plan page."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from practicehub.audit.models import AuditEvent
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.tests.conftest import Observe, observe, tool  # noqa: F401 (fixtures)
from practicehub.implementation.models import Direction, Indicator, Objective
from practicehub.implementation.services import indicator_actuals, indicator_edits, indicators
from practicehub.implementation.services.access import InvalidInput
from practicehub.implementation.services.indicators import Actual, quarter_end, track
from practicehub.implementation.tests.helpers import a_plan, an_objective
from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.data.synthetic_population import Sites
from practicehub.outcomes.engine import computing
from practicehub.outcomes.engine.counties import COUNTIES
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.services import dashboard_data
from practicehub.testing.personas import Personas

D = datetime.date
FRESNO = "06019"
# The synthetic data reach September 2025; quarters after the baseline up to then are computed.
TODAY = D(2025, 12, 1)
MEASURE = "permanency_12m_entries"


@pytest.fixture(scope="session")
def county_outcomes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4,000 synthetic episodes, nearly all in Fresno (so its groups have figures): imported once
    into a folder to use as settings.OUTCOMES_DIR."""
    folder = tmp_path_factory.mktemp("indicator-outcomes")
    scale = {code: 0.02 for code, _, _ in COUNTIES} | {FRESNO: 1.0}
    synthetic.generate(folder / "source", 4000, seed=11, sites=Sites(scale=scale))
    store.import_directory(folder / "source", folder / store.DATABASE_NAME)
    return folder


@pytest.fixture
def outcomes_dir(county_outcomes: Path, settings: Any) -> Path:
    settings.OUTCOMES_DIR = county_outcomes
    return county_outcomes


def _rule(value: float, direction: str = Direction.UP) -> str:
    """Baseline 50 at the end of 2024 Q4, target 60 on 2025-12-31; one actual at 2025 Q2's end."""
    return track([Actual(D(2024, 12, 31), 50.0), Actual(D(2025, 6, 30), value)],
                 baseline_on=D(2024, 12, 31), baseline_value=50.0, target_on=D(2025, 12, 31),
                 target_value=60.0 if direction == Direction.UP else 40.0,
                 direction=direction).status


def test_on_track_is_at_or_beyond_the_straight_line_in_the_indicator_direction() -> None:
    # 2025-06-30 is 181 of 365 days from 2024-12-31 to 2025-12-31: the line reads 54.959
    line = 50 + 10 * 181 / 365
    assert _rule(line) == "on_track"
    assert _rule(line - 0.001) == "off_track"
    assert _rule(line + 5) == "on_track"
    # Lower is better: target 40, the line reads 45.041 on that day.
    down = 50 - 10 * 181 / 365
    assert _rule(down, Direction.DOWN) == "on_track"
    assert _rule(down + 0.001, Direction.DOWN) == "off_track"


def test_after_the_target_date_the_line_is_the_target_and_without_figures_there_is_no_data(
) -> None:
    late = [Actual(D(2024, 12, 31), 50.0), Actual(D(2026, 3, 31), 59.9)]
    args: dict[str, Any] = {"baseline_on": D(2024, 12, 31), "baseline_value": 50.0,
                            "target_on": D(2025, 12, 31), "target_value": 60.0,
                            "direction": Direction.UP}
    assert track(late, **args).status == "off_track"
    assert track(late, **args).expected == 60.0
    # Only the baseline quarter, a suppressed quarter, or no baseline value: no data.
    assert track(late[:1], **args).status == "no_data"
    suppressed = [*late[:1], Actual(D(2025, 3, 31), None, suppressed=True)]
    assert track(suppressed, **args).status == "no_data"
    assert track(late, **{**args, "baseline_value": None}).status == "no_data"
    # The latest quarter with a value counts, not a later suppressed one.
    mixed = [*late, Actual(D(2026, 6, 30), None, suppressed=True)]
    assert track(mixed, **args).latest == late[1]


def test_quarters_run_from_the_baseline_quarter_to_the_last_ended_one() -> None:
    assert quarter_end(D(2024, 11, 5)) == D(2024, 12, 31)
    assert quarter_end(D(2025, 2, 28)) == D(2025, 3, 31)
    assert indicators.quarters_since(D(2024, 11, 5), D(2025, 6, 30)) == [
        D(2024, 12, 31), D(2025, 3, 31), D(2025, 6, 30)]


@pytest.fixture
def objective(personas: Personas) -> Objective:
    plan = a_plan(personas.fresno.lead, personas.fresno.county)
    return an_objective(personas.fresno.lead, plan, "Permanency for Black children rises")


def _outcome(personas: Personas, objective: Objective, **fields: Any) -> Indicator:
    values: dict[str, Any] = {
        "kind": "outcome", "measure": MEASURE, "dimension": "race_ethnicity",
        "dimension_value": "black", "baseline_on": D(2024, 3, 31), "baseline_value": 0.3,
        "target_value": 0.45, "target_on": D(2026, 6, 30), **fields}
    return indicator_edits.add_indicator(personas.fresno.lead, objective, **values)


def _cli(period: Period, outcomes: Path) -> list[dict[str, Any]]:
    out = Path(outcomes) / "cli.json"
    call_command("outcomes", "compute", "--period",
                 f"{period.start.isoformat()}:{period.end.isoformat()}",
                 "--by", "county,race_ethnicity", "--measures", MEASURE, "--no-suppress",
                 "--format", "json", "--out", str(out))
    found = json.loads(out.read_text())
    return list(found["rows"] if isinstance(found, dict) else found)


@pytest.mark.usefixtures("outcomes_dir")
def test_actuals_equal_what_outcomes_compute_gives_for_the_measure_scope_group_and_period(
    personas: Personas, objective: Objective, outcomes_dir: Path,
) -> None:
    indicator = _outcome(personas, objective)
    found = indicator_actuals.actuals(indicator, personas.fresno.evaluator, TODAY)
    # P1 follows entrants for 12 months: quarters up to 12 months before the data's end count.
    assert [a.quarter for a in found] == [D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30)]
    for actual in found:
        period = indicator_actuals.outcome_period(actual.quarter)
        rows = _cli(period, outcomes_dir)
        (row,) = [r for r in rows if r["county"] == FRESNO and r["race_ethnicity"] == "black"]
        assert actual.value == pytest.approx(row["value"]), actual.label
        assert not actual.suppressed
    assert len({a.value for a in found}) > 1  # the actuals move


@pytest.mark.usefixtures("outcomes_dir")
def test_suppressed_actuals_are_those_the_engine_suppresses_for_the_county_and_have_no_value(
    personas: Personas, objective: Objective,
) -> None:
    indicator = _outcome(personas, objective, dimension_value="nhopi")
    found = indicator_actuals.actuals(indicator, personas.fresno.lead, TODAY)
    with dashboard_data.opened() as data:
        assert data is not None
        for actual in found:
            rows = computing.compute(data.runner, indicator_actuals.outcome_period(actual.quarter),
                                     by=("race_ethnicity",), measures=[MEASURE],
                                     scope={"county": (FRESNO,)}).rows
            row = next(r for r in rows if r.group("race_ethnicity") == "nhopi")
            assert (actual.suppressed, actual.value) == (row.suppressed, row.value)
    assert any(a.suppressed for a in found)
    assert all(a.value is None for a in found if a.suppressed)


@pytest.mark.usefixtures("outcomes_dir")
def test_the_plan_page_shows_the_chart_the_table_and_the_track_with_suppressed_quarters(
    personas: Personas, objective: Objective, login_as: Any,
) -> None:
    _outcome(personas, objective, dimension_value="nhopi")
    page = login_as(personas.fresno.lead).get(
        reverse("implementation:plan_detail", args=[objective.plan_id]))
    assert page.status_code == 200
    text = page.text
    assert "Permanency in 12 months for children entering care: Native Hawaiian" in text
    assert "<svg" in text
    assert "<td>suppressed</td>" in text
    assert "2024 Q1" in text


@pytest.mark.usefixtures("outcomes_dir")
def test_the_baseline_is_filled_from_the_data_on_request(personas: Personas,
                                                         objective: Objective) -> None:
    indicator = _outcome(personas, objective, dimension="", dimension_value="",
                         baseline_value=None, fill_baseline=True)
    with dashboard_data.opened() as data:
        assert data is not None
        (row,) = computing.compute(data.runner, indicator_actuals.outcome_period(D(2024, 3, 31)),
                                   measures=[MEASURE], scope={"county": (FRESNO,)}).rows
    assert indicator.baseline_value == pytest.approx(row.value)
    assert AuditEvent.objects.filter(action="create", object_id=str(indicator.pk)).exists()


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"measure": "p9"}, "measure", "no outcome measure 'p9'"),
    ({"dimension_value": "purple"}, "dimension_value", "not a race_ethnicity code"),
    ({"dimension": "office"}, "dimension", "not 'office'"),
    ({"dimension": "", "dimension_value": "black"}, "dimension", "name the dimension"),
    ({"target_on": D(2024, 2, 1)}, "target_on", "must be after the baseline quarter"),
    ({"target_value": 1.5}, "target_value", "percent from 0 to 100"),
    ({"measure": "disparity_entries", "dimension": "", "dimension_value": ""}, "dimension",
     "race/ethnicity"),
])
def test_a_bad_indicator_is_refused_naming_the_field(personas: Personas, objective: Objective,
                                                     fields: dict[str, Any], field: str,
                                                     words: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        _outcome(personas, objective, **fields)
    assert refused.value.field == field
    assert words in refused.value.message
    assert not Indicator.objects.exists()


def test_the_form_refuses_on_the_field_and_keeps_nothing(personas: Personas,
                                                          objective: Objective,
                                                          login_as: Any) -> None:
    page = login_as(personas.fresno.lead).post(
        reverse("implementation:indicator_create", args=[objective.pk]),
        {"kind": "outcome", "measure": MEASURE, "dimension": "race_ethnicity",
         "dimension_value": "purple", "baseline_on": "2024-03-31", "baseline_value": "30",
         "target_value": "45", "target_on": "2026-06-30", "direction": "up"})
    assert page.status_code == 400
    assert "&#x27;purple&#x27; is not a race_ethnicity code of the data contract" in page.text
    assert not Indicator.objects.exists()


def test_percents_typed_in_the_form_are_kept_as_fractions_and_edits_are_versioned(
    personas: Personas, objective: Objective, login_as: Any,
) -> None:
    client = login_as(personas.fresno.lead)
    client.post(reverse("implementation:indicator_create", args=[objective.pk]), {
        "kind": "outcome", "measure": MEASURE, "baseline_on": "2024-02-10",
        "baseline_value": "30", "target_value": "45", "target_on": "2026-06-30",
        "direction": "up"})
    indicator = Indicator.objects.get()
    assert (indicator.baseline_on, indicator.baseline_value, indicator.target_value) == (
        D(2024, 3, 31), 0.3, 0.45)
    edit = reverse("implementation:indicator_edit", args=[indicator.pk])
    form = {"kind": "outcome", "measure": MEASURE, "baseline_on": "2024-03-31",
            "baseline_value": "30", "target_value": "50", "target_on": "2026-06-30",
            "direction": "up", "edit_version": "1"}
    assert client.post(edit, form).status_code == 302
    stale = client.post(edit, {**form, "target_value": "55"})
    assert stale.status_code == 409
    assert "Someone else saved this indicator" in stale.text
    indicator.refresh_from_db()
    assert indicator.target_value == 0.5
    assert AuditEvent.objects.filter(action="update", object_id=str(indicator.pk)).exists()
    client.post(reverse("implementation:indicator_delete", args=[indicator.pk]),
                {"edit_version": "2"})
    assert not Indicator.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(indicator.pk)).exists()


def test_an_indicator_of_a_plan_outside_scope_answers_404_and_managing_needs_the_role(
    personas: Personas, objective: Objective, login_as: Any,
) -> None:
    indicator = _outcome(personas, objective)
    for url in (reverse("implementation:indicator_create", args=[objective.pk]),
                reverse("implementation:indicator_edit", args=[indicator.pk]),
                reverse("implementation:indicator_delete", args=[indicator.pk])):
        assert login_as(personas.humboldt.lead).get(url).status_code == 404
        assert login_as(personas.fresno.coach).get(url).status_code == 403
    assert login_as(personas.humboldt.lead).post(
        reverse("implementation:indicator_delete", args=[indicator.pk]),
        {"edit_version": "1"}).status_code == 404
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_fidelity_actuals_equal_the_fidelity_dashboard_figure_and_small_groups_are_hidden(
    personas: Personas, objective: Objective, tool: ObservationTool,  # noqa: F811
    observe: Observe,  # noqa: F811
) -> None:
    worker, coach = personas.fresno.practitioner, personas.fresno.coach
    observe(worker, coach, [3, 3, 1, 2, 3], on=D(2025, 2, 3))
    observe(worker, coach, [2, 3, 3, 3, 3], on=D(2025, 5, 3))
    practice = tool.behaviors.order_by("order").first()
    assert practice is not None
    assert practice.practice is not None
    indicator = indicator_edits.add_indicator(
        personas.fresno.lead, objective, kind="fidelity_share", tool=tool,
        content_level="practice", content_code=practice.practice.code,
        baseline_on=D(2025, 3, 31), baseline_value=0.5, target_value=0.9,
        target_on=D(2026, 3, 31))
    found = indicator_actuals.actuals(indicator, personas.fresno.lead, TODAY)
    for actual in found:
        scope = dashboards.Scope(tool=tool, node=personas.fresno.county, sees_people=True,
                                 since=indicators.quarter_start(actual.quarter),
                                 until=actual.quarter)
        groups = {g.key: g.share for g in dashboards.by_content(scope, "practice")}
        assert actual.value == groups.get(practice.practice.code), actual.label
    assert found[1].value is not None
    # One worker: a group too small for someone who may not see workers' ratings.
    hidden = indicator_actuals.actuals(indicator, personas.fresno.regional_support, TODAY)
    assert [a.suppressed for a in hidden][:2] == [True, True]
    assert all(a.value is None for a in hidden)


@pytest.mark.usefixtures("outcomes_dir")
def test_the_plan_api_gives_each_indicator_with_its_actuals_suppressed_ones_without_a_value(
    personas: Personas, objective: Objective, login_as: Any,
) -> None:
    indicator = _outcome(personas, objective, dimension_value="nhopi")
    answer = login_as(personas.fresno.lead).get(
        reverse("api:implementation_plan", args=[objective.plan_id])).json()
    (given,) = answer["objectives"][0]["indicators"]
    assert (given["id"], given["measure"], given["dimension_value"]) == (
        indicator.pk, MEASURE, "nhopi")
    assert given["actuals"][0]["quarter_end"] == "2024-03-31"
    assert given["actuals"][0]["target_line"] == pytest.approx(0.3)
    assert any(a["suppressed"] for a in given["actuals"])
    assert all(a["value"] is None for a in given["actuals"] if a["suppressed"])
    assert given["track"] in {"on_track", "off_track", "no_data"}


def test_workers_at_fidelity_is_read_as_of_each_quarter_end(
    personas: Personas, objective: Objective, tool: ObservationTool,  # noqa: F811
    observe: Observe,  # noqa: F811
) -> None:
    worker, coach = personas.fresno.practitioner, personas.fresno.coach
    # The tool's rule: 3 of the latest 3 observations at fidelity. Two in Q1, the third in Q2.
    for on in (D(2025, 1, 10), D(2025, 2, 10), D(2025, 5, 10)):
        observe(worker, coach, [3, 3, 3, 3, 3], on=on)
    indicator = indicator_edits.add_indicator(
        personas.fresno.lead, objective, kind="workers_at_fidelity", tool=tool,
        baseline_on=D(2025, 3, 31), baseline_value=0.0, target_value=1.0,
        target_on=D(2026, 3, 31))
    found = indicator_actuals.actuals(indicator, personas.fresno.lead, TODAY)
    assert [(a.label, a.value) for a in found] == [("2025 Q1", 0.0), ("2025 Q2", 1.0),
                                                   ("2025 Q3", 1.0)]
    scope = dashboards.Scope(tool=tool, node=personas.fresno.county, sees_people=True)
    (now,) = dashboards.workers_at_fidelity(scope, "county")
    assert now.share == found[-1].value
    assert indicator_actuals.track_of(indicator, found).label == "On track"
