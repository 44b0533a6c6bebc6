"""The dashboards' rules: scope and periods, the figures shown, suppression, and the national
reference figures, on a small imported synthetic database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from practicehub.core.services import kept
from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.engine import computing
from practicehub.outcomes.engine.periods import Period, parse_period
from practicehub.outcomes.services import (
    dashboard_data,
    dashboard_periods,
    dashboard_rows,
    dashboard_selection,
    dashboard_warming,
    disparities_page,
    long_stays_page,
    national,
    overview_page,
    permanency_page,
)
from practicehub.outcomes.services.access import OutcomeScope
from practicehub.outcomes.services.dashboard_data import DashboardData
from practicehub.outcomes.services.dashboard_selection import select

FRESNO, HUMBOLDT = "06019", "06023"
STATEWIDE = OutcomeScope(statewide=True, counties=(), unsuppressed=False)
FRESNO_ONLY = OutcomeScope(statewide=False, counties=(FRESNO,), unsuppressed=False)
FRESNO_ANALYST = OutcomeScope(statewide=False, counties=(FRESNO,), unsuppressed=True)


@pytest.fixture(scope="session")
def imported_outcomes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 synthetic episodes imported once: the folder to use as settings.OUTCOMES_DIR."""
    folder = tmp_path_factory.mktemp("outcomes")
    synthetic.generate(folder / "source", 3000, seed=7)
    store.import_directory(folder / "source", folder / store.DATABASE_NAME)
    return folder


@pytest.fixture
def outcomes_dir(imported_outcomes: Path, settings: Any) -> Path:
    settings.OUTCOMES_DIR = imported_outcomes
    return imported_outcomes


@pytest.fixture
def data(outcomes_dir: Path, db: None) -> Iterator[DashboardData]:
    # The database too: office names come from the organisation tree.
    with dashboard_data.opened() as opened:
        assert opened is not None
        yield opened


def test_without_an_import_there_is_nothing_to_open(tmp_path: Path, settings: Any) -> None:
    settings.OUTCOMES_DIR = tmp_path
    with dashboard_data.opened() as opened:
        assert opened is None


def test_the_default_period_is_the_latest_federal_year_followed_for_12_months(
    data: DashboardData,
) -> None:
    # The data reach September 2025: 25A25B is the latest full year, but its entries have not
    # had 12 months to reach permanency, so the default is the year before.
    selection = select(data, STATEWIDE, "", "")
    assert selection.as_of is not None
    assert selection.as_of.strftime("%Y-%m") == "2025-09"
    assert dashboard_periods.latest_federal_year(selection.as_of) == parse_period("25A25B")
    assert selection.period == parse_period("24A24B")
    assert dashboard_periods.latest_federal_year(date(2025, 8, 31)) == parse_period("24A24B")
    assert dashboard_periods.default_period(date(2025, 8, 31)) == parse_period("23A23B")


def test_a_county_outside_the_scope_is_refused(data: DashboardData) -> None:
    with pytest.raises(dashboard_selection.OutOfScope):
        select(data, FRESNO_ONLY, HUMBOLDT, "")


def test_a_one_county_scope_picks_its_county_and_a_bad_period_says_why(
    data: DashboardData,
) -> None:
    selection = select(data, FRESNO_ONLY, "", "last year")
    assert selection.county == FRESNO
    assert selection.place == "Fresno"
    assert "not a period" in selection.period_error
    assert selection.period == parse_period("24A24B")


def test_statewide_users_pick_among_every_county_in_the_data(
    data: DashboardData,
) -> None:
    selection = select(data, STATEWIDE, HUMBOLDT, "23A23B")
    assert (selection.county, selection.period) == (HUMBOLDT, parse_period("23A23B"))
    assert {FRESNO, HUMBOLDT, "06037"} <= set(selection.counties)


def test_the_overview_has_every_measure_with_eight_quarterly_trend_points(
    data: DashboardData,
) -> None:
    measures = overview_page.overview(data, select(data, STATEWIDE, "", "24A24B"))
    assert [m.spec.id for m in measures] == list(dashboard_rows.OVERVIEW_MEASURES)
    p1 = next(m for m in measures if m.spec.id == "permanency_12m_entries")
    assert [p.period.end for p in p1.trend][-2:] == [date(2024, 6, 30), date(2024, 9, 30)]
    assert len(p1.trend) == 8
    assert p1.current.text.endswith("%")
    assert " to " in p1.current.interval
    assert p1.national_performance == "35.2%"
    assert 'role="img"' in p1.chart
    assert "National performance" in p1.chart
    assert p1.trend[-1].national_observed == "—"  # 24A24B is not yet published for P1
    assert p1.trend[-5].national_observed == "34.8%"  # 23A23B, August 2025 profile


def test_small_counties_show_suppressed_figures_and_analysts_see_the_numbers(
    data: DashboardData,
) -> None:
    shown = overview_page.overview(data, select(data, FRESNO_ONLY, "", ""))
    unsuppressed = overview_page.overview(data, select(data, FRESNO_ANALYST, "", ""))
    suppressed = [m.spec.id for m in shown if m.current.text == "suppressed"]
    assert suppressed
    for measure in unsuppressed:
        if measure.spec.id in suppressed:
            assert measure.current.text not in {"suppressed", "0", ""}
            assert measure.current.numerator != "suppressed"


def test_one_county_is_broken_down_by_its_offices(data: DashboardData) -> None:
    selection = select(data, FRESNO_ANALYST, "", "25A25B")
    assert selection.grouping == "office"
    specs, offices = overview_page.breakdown(data, selection)
    # Offices the tree does not hold keep their code as their name.
    assert [row.label for row in offices][:2] == ["06019-01", "06019-02"]
    assert "No office recorded" not in [row.label for row in offices]
    assert "entry_rate" not in [spec.id for spec in specs]
    statewide = select(data, STATEWIDE, "", "")
    assert statewide.grouping == "county"
    assert [key for key, _ in statewide.grouping_choices()] == [
        "county", "race_ethnicity", "age_band", "sex"]


def test_the_breakdown_follows_the_grouping_asked_for(data: DashboardData) -> None:
    selection = select(data, FRESNO_ANALYST, "", "25A25B", by="sex")
    specs, rows = overview_page.breakdown(data, selection)
    assert selection.grouping_label == "Sex"
    assert "entry_rate" not in [spec.id for spec in specs]
    assert len(rows) >= 2
    by_age = select(data, FRESNO_ANALYST, "", "25A25B", by="age_band")
    age_specs, _ = overview_page.breakdown(data, by_age)
    assert "entry_rate" in [spec.id for spec in age_specs]
    # A grouping that makes no sense here (by county within one county) falls back.
    assert select(data, FRESNO_ANALYST, "", "", by="county").grouping == "office"


def test_the_period_picker_offers_the_federal_years_the_data_hold(
    data: DashboardData,
) -> None:
    selection = select(data, STATEWIDE, "", "")
    codes = [code for code, _ in selection.periods]
    # The data reach September 2025: the newest year is 25A25B, and each older one follows.
    assert codes[0] == "25A25B"
    assert codes[1] == "24A24B"
    assert dashboard_periods.federal_code(selection.period) in codes


def test_custom_dates_are_used_only_when_the_picker_says_custom(
    data: DashboardData,
) -> None:
    custom = select(data, STATEWIDE, "", "custom", start="2024-01-01",
                               end="2024-06-30")
    assert custom.period == Period(date(2024, 1, 1), date(2024, 6, 30))
    assert dashboard_selection.context_notes(custom)["period_value"] == "custom"
    federal = select(data, STATEWIDE, "", "24A24B", start="2024-01-01",
                                end="2024-06-30")
    assert federal.period == parse_period("24A24B")
    wrong = select(data, STATEWIDE, "", "custom", start="2024-06-30", end="")
    assert "Showing" in wrong.period_error


def test_an_office_narrows_the_figures_and_one_outside_the_county_is_refused(
    data: DashboardData,
) -> None:
    county = select(data, FRESNO_ANALYST, "", "25A25B")
    office = select(data, FRESNO_ANALYST, "", "25A25B", office="06019-01")
    assert office.place == "06019-01, Fresno"
    whole = {m.spec.id: m.current.row for m in overview_page.overview(data, county)}
    part = {m.spec.id: m.current.row for m in overview_page.overview(data, office)}
    assert "entry_rate" not in part
    p1_whole, p1_part = whole["permanency_12m_entries"], part["permanency_12m_entries"]
    assert p1_whole is not None
    assert p1_part is not None
    assert 0 < (p1_part.denominator or 0) < (p1_whole.denominator or 0)
    with pytest.raises(dashboard_selection.OutOfScope):
        select(data, FRESNO_ANALYST, "", "", office="06023-01")


def test_disparities_compare_each_group_with_white_children(
    data: DashboardData,
) -> None:
    stages = disparities_page.disparities(data, select(data, STATEWIDE, "", ""))
    assert [s.stage for s in stages] == ["entries", "in_care", "long_term_24m"]
    entries = {row.race: row for row in stages[0].rows}
    assert entries["White"].disparity.text == "1.00"
    assert float(entries["Black or African American"].disparity.text) > 1.5
    assert "disparity 1" in stages[0].chart


def test_long_stays_go_by_county_statewide_and_by_office_in_one_county(
    data: DashboardData,
) -> None:
    statewide = long_stays_page.long_stays(data, select(data, STATEWIDE, "", ""))
    assert [t.dimension for t in statewide] == ["County", "Race and ethnicity"]
    assert "Los Angeles" in [row.label for row in statewide[0].rows]
    fresno = long_stays_page.long_stays(data, select(data, FRESNO_ANALYST, "", ""))
    assert fresno[0].dimension == "Office"
    over_24, over_36 = long_stays_page.long_stay_totals(
        data, select(data, FRESNO_ANALYST, "", ""))
    assert int(over_36.numerator) <= int(over_24.numerator) <= int(over_24.denominator)


def test_time_to_permanency_has_a_curve_for_all_children_and_each_group(
    data: DashboardData,
) -> None:
    page = permanency_page.permanency(data, select(data, STATEWIDE, "", "23A23B"))
    assert page.curves[0].label == "All children"
    assert "White" in [c.label for c in page.curves]
    total = page.curves[0]
    assert total.median.endswith("months") or total.median == "not reached"
    assert [share[-1] for share in total.at_horizons[:2]] == ["%", "%"]
    assert total.at_horizons[2] == "not yet observed"  # the data end before 36 months
    assert [months for months, _ in total.incidence()] == [12, 24, 36]
    assert "All children" in page.chart


def test_the_national_reference_keeps_the_newest_profile_per_period() -> None:
    p1 = national.reference_for("permanency_12m_entries")
    assert p1 is not None
    found = p1.observed_in(national.NATIONAL, parse_period("23A23B"))
    assert found is not None
    assert (found.profile_version, found.value) == ("August 2025", 0.3476)
    s1 = national.reference_for("maltreatment_in_care_per_100k_days")
    assert s1 is not None
    assert s1.national_performance == 9.07
    assert national.federal_period("FY21-22") == Period(date(2020, 10, 1), date(2021, 9, 30))
    entry = national.reference_for("entry_rate")
    assert entry is not None
    assert entry.national_performance is None


@pytest.mark.parametrize("scope", [STATEWIDE, FRESNO_ANALYST])
def test_overview_totals_equal_what_the_engine_computes_for_the_scope(
    data: DashboardData, scope: OutcomeScope,
) -> None:
    selection = select(data, scope, "", "24A24B")
    expected = computing.compute(data.runner, selection.period,
                              measures=list(dashboard_rows.OVERVIEW_MEASURES),
                              scope=scope.engine_scope(), suppress=False).rows
    totals = dashboard_rows.scoped_totals(data, selection, selection.period)
    assert [(r.numerator, r.denominator) for r in totals] == [
        (r.numerator, r.denominator) for r in expected]
    assert [r.value for r in totals] == pytest.approx([r.value for r in expected])
    assert [r.ci_high for r in totals] == pytest.approx([r.ci_high for r in expected])


def test_after_warming_the_overview_is_served_without_querying_the_database(
    outcomes_dir: Path, db: None,
) -> None:
    kept.forget_everything()
    with dashboard_data.opened() as data:
        assert data is not None
        dashboard_warming.warm(data)
    with dashboard_data.opened() as data:
        assert data is not None
        data.runner.close()  # any query now fails
        measures = overview_page.overview(data, select(data, FRESNO_ANALYST, "", ""))
    assert measures[0].trend[-1].period == parse_period("24A24B")
    assert measures[0].current.text not in {"suppressed", "no value"}
