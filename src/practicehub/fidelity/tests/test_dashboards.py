"""Dashboard aggregates: by behavior, place and period, workers at fidelity, small groups."""

from __future__ import annotations

from datetime import date

import pytest

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.models import User
from practicehub.accounts.roles import Role
from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.services.dashboards import Scope
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def _workers(count: int, unit: str) -> list[User]:
    return [ensure_person(DemoLogin(f"w{n}.{unit}", "W", str(n), Role.PRACTITIONER, unit))
            for n in range(count)]


@pytest.fixture
def fresno_six(personas: Personas, observe: Observe) -> list[User]:
    """Six Fresno workers: three in unit A who meet fidelity, three in unit B who do not."""
    a = _workers(3, "fresno-central-unit-a")
    b = _workers(3, "fresno-central-unit-b")
    for worker in a:
        for month in (1, 2, 3):
            observe(worker, personas.fresno.coach, [3, 3, 3, 3, 3], on=date(2025, month, 5))
    for worker in b:
        observe(worker, personas.fresno.coach, [3, 2, 2, 1, 3], on=date(2025, 3, 5))
    return a + b


def _scope(personas: Personas, tool: ObservationTool, sees_people: bool) -> Scope:
    return Scope(tool=tool, node=personas.fresno.county, sees_people=sees_people)


def test_scores_by_behavior_count_proficient_ratings(
    personas: Personas, tool: ObservationTool, fresno_six: list[User],
) -> None:
    groups = dashboards.by_content(_scope(personas, tool, True), "behavior")
    assert [g.rated for g in groups] == [12] * 5
    # Behavior 2: nine 3s from unit A, three 2s from unit B.
    assert groups[1].proficient == 9
    assert groups[1].share == pytest.approx(0.75)
    assert groups[1].workers == 6
    assert not groups[1].small


def test_coaching_priorities_are_the_lowest_scoring_behaviors_first(
    personas: Personas, tool: ObservationTool, fresno_six: list[User],
) -> None:
    priorities = dashboards.coaching_priorities(_scope(personas, tool, True), count=3)
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    assert [g.key for g in priorities] == [codes[1], codes[2], codes[3]]


def test_units_of_fewer_than_five_workers_are_hidden_from_wider_audiences(
    personas: Personas, tool: ObservationTool, fresno_six: list[User],
) -> None:
    wide = dashboards.by_place(_scope(personas, tool, False), "unit")
    assert [(g.label, g.hidden) for g in wide] == [("Fresno Central Unit A", True),
                                                   ("Fresno Central Unit B", True)]
    county = dashboards.by_place(_scope(personas, tool, False), "county")
    assert [(g.label, g.workers, g.hidden) for g in county] == [("Fresno County", 6, False)]
    assert dashboards.by_place(_scope(personas, tool, False), "worker") == []
    coach_view = dashboards.by_place(_scope(personas, tool, True), "unit")
    assert [(g.small, g.hidden) for g in coach_view] == [(True, False), (True, False)]


def test_scores_by_month_and_quarter(
    personas: Personas, tool: ObservationTool, fresno_six: list[User],
) -> None:
    months = dashboards.by_period(_scope(personas, tool, True), "month")
    assert [(g.label, g.rated) for g in months] == [("2025-01", 15), ("2025-02", 15),
                                                    ("2025-03", 30)]
    quarters = dashboards.by_period(_scope(personas, tool, True), "quarter")
    assert [(g.label, g.proficient) for g in quarters] == [("2025 Q1", 51)]


def test_share_of_workers_at_fidelity_uses_the_latest_observations(
    personas: Personas, tool: ObservationTool, fresno_six: list[User], observe: Observe,
) -> None:
    office = dashboards.workers_at_fidelity(_scope(personas, tool, True), "office")
    assert [(g.label, g.workers, g.meeting) for g in office] == [("Fresno Central office", 6, 3)]
    # A fourth, weaker observation pushes the oldest good one out of the three considered.
    observe(fresno_six[0], personas.fresno.coach, [1, 1, 1, 1, 1], on=date(2025, 4, 5))
    office = dashboards.workers_at_fidelity(_scope(personas, tool, True), "office")
    assert office[0].meeting == 2


def test_second_observers_do_not_count_twice(
    personas: Personas, tool: ObservationTool, fresno_six: list[User], observe: Observe,
) -> None:
    first = observe(personas.fresno.practitioner, personas.fresno.coach, [3, 3, 3, 3, 3])
    observe(personas.fresno.practitioner, personas.fresno.lead, [1, 1, 1, 1, 1],
            paired_with=first)
    groups = dashboards.by_content(_scope(personas, tool, True), "behavior")
    assert groups[0].rated == 13
    assert groups[0].proficient == 13
