"""Each observation keeps the month, quarter and federal half year it falls in, so dashboards
group by period without a date function per rating."""

from __future__ import annotations

from datetime import date

import pytest

from practicehub.fidelity.models import ObservationTool, period_keys
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


@pytest.mark.parametrize(("day", "month", "quarter", "federal"), [
    (date(2025, 3, 31), date(2025, 3, 1), date(2025, 1, 1), "25A"),
    (date(2025, 4, 1), date(2025, 4, 1), date(2025, 4, 1), "25B"),
    (date(2025, 9, 30), date(2025, 9, 1), date(2025, 7, 1), "25B"),
    (date(2025, 10, 1), date(2025, 10, 1), date(2025, 10, 1), "26A"),
    (date(2025, 12, 31), date(2025, 12, 1), date(2025, 10, 1), "26A"),
])
def test_period_keys_follow_the_calendar_and_the_federal_year(
    day: date, month: date, quarter: date, federal: str,
) -> None:
    assert period_keys(day) == {"observed_month": month, "observed_quarter": quarter,
                                "federal_period": federal}


def test_a_recorded_observation_keeps_its_period_keys(
    personas: Personas, tool: ObservationTool, observe: Observe,
) -> None:
    found = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 2, 3, 1, 3],
                    on=date(2025, 11, 14))
    found.refresh_from_db()
    assert (found.observed_month, found.observed_quarter, found.federal_period) == (
        date(2025, 11, 1), date(2025, 10, 1), "26A")
