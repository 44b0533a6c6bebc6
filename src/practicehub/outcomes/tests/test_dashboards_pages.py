"""The outcome dashboard pages for each persona: scope, suppression and the empty state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from practicehub.outcomes.tests.test_dashboards_services import (  # noqa: F401  (fixtures)
    imported_outcomes,
    outcomes_dir,
)
from practicehub.testing.personas import Personas

# Every test reads the small synthetic import unless it points OUTCOMES_DIR elsewhere itself.
pytestmark = pytest.mark.usefixtures("outcomes_dir")

PAGES = ["outcomes:dashboard", "outcomes:disparities", "outcomes:long_stays",
         "outcomes:time_to_permanency"]
HUMBOLDT, FRESNO = "06023", "06019"


@pytest.mark.parametrize("name", PAGES)
def test_a_fresno_coach_sees_fresno_and_gets_404_for_humboldt(
    name: str, personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.coach)
    page = client.get(reverse(name))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Fresno, 24A24B (2023-10-01 to 2024-09-30)" in text
    assert client.get(reverse(name), {"county": HUMBOLDT}).status_code == 404


def test_a_state_administrator_sees_california_and_may_pick_any_county(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.state_admin)
    text = client.get(reverse("outcomes:dashboard")).content.decode()
    assert "California (all counties)" in text
    assert '<option value="06037">Los Angeles</option>' in text
    humboldt = client.get(reverse("outcomes:long_stays"), {"county": HUMBOLDT}).content.decode()
    assert "Humboldt, 24A24B" in humboldt
    assert "By office" in humboldt


def test_small_cells_read_suppressed_except_for_the_evaluator(
    personas: Personas, login_as: Any,
) -> None:
    coach = login_as(personas.fresno.coach).get(reverse("outcomes:dashboard")).content.decode()
    assert "<td>suppressed</td>" in coach
    assert "unsuppressed" not in coach
    evaluator = login_as(personas.fresno.evaluator).get(
        reverse("outcomes:dashboard")).content.decode()
    assert "<td>suppressed</td>" not in evaluator
    assert "<strong>unsuppressed</strong>" in evaluator


def test_the_overview_draws_each_trend_with_the_national_line_and_a_table(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.state_admin)
    text = client.get(reverse("outcomes:dashboard"), {"period": "23A23B"}).content.decode()
    assert text.count('<svg role="img" aria-label="') == 10
    assert "Dashed line: national performance 35.2%." in text
    assert "may differ slightly from the federal syntax" in text
    assert "trend, with published federal figures</caption>" in text


def test_an_unreadable_period_is_explained_and_the_default_shown(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.lead)
    text = client.get(reverse("outcomes:disparities"), {"period": "soon"}).content.decode()
    assert "is not a period" in text
    assert "Showing 24A24B (2023-10-01 to 2024-09-30) instead." in text


def test_without_imported_data_each_page_says_how_to_import(
    personas: Personas, login_as: Any, tmp_path: Path, settings: Any,
) -> None:
    settings.OUTCOMES_DIR = tmp_path
    client = login_as(personas.fresno.coach)
    for name in PAGES:
        text = client.get(reverse(name)).content.decode()
        assert "No outcome data imported yet" in text
        assert "practicehub outcomes import --data DIR" in text


def test_the_main_navigation_links_to_outcomes(
    personas: Personas, login_as: Any,
) -> None:
    text = login_as(personas.fresno.partner).get(reverse("core:home")).content.decode()
    assert f'href="{reverse("outcomes:dashboard")}"' in text


def test_the_overview_offers_periods_groupings_and_offices_and_says_what_it_shows(
    personas: Personas, login_as: Any,
) -> None:
    client = login_as(personas.fresno.lead)
    text = client.get(reverse("outcomes:dashboard")).content.decode()
    assert '<option value="24A24B" selected>24A24B (2023-10-01 to 2024-09-30)</option>' in text
    assert '<option value="custom">Custom dates (below)</option>' in text
    assert 'name="start" type="date"' in text
    assert '<option value="race_ethnicity">Race and ethnicity</option>' in text
    assert '<option value="06019-01">06019-01</option>' in text
    assert 'href="#trends"' in text
    by_sex = client.get(reverse("outcomes:dashboard"), {"by": "sex", "period": "custom",
                                                        "start": "2024-01-01",
                                                        "end": "2024-12-31"}).content.decode()
    assert '<h2 id="by-group">By sex</h2>' in by_sex
    assert "Fresno, 2024-01-01 to 2024-12-31." in by_sex
    office = client.get(reverse("outcomes:dashboard"), {"office": "06019-01"}).content.decode()
    assert "06019-01, Fresno, 24A24B" in office
    assert client.get(reverse("outcomes:dashboard"), {"office": "06023-01"}).status_code == 404
    # Rates against the child population exist by county only: no office picker there.
    disparities = client.get(reverse("outcomes:disparities"),
                             {"office": "06019-01"}).content.decode()
    assert 'name="office"' not in disparities
    assert "Fresno, 24A24B" in disparities
