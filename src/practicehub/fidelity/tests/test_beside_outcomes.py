"""Fidelity beside outcomes: the join through assignments, with hand-worked numbers.

The world (``build_world``): in 2024 two Fresno Central practitioners and one Humboldt one carry
five episodes.

| episode | removal | end | assignments: worker from (to) | carried by |
|---|---|---|---|---|
| E1 | 02-01 | reunified 08-01, one move | worker 02-01 (03-01, no office), worker2 03-01 | worker |
| E2 | 03-10 | reunified 2025-06-01 | worker2 01-01 (03-10), worker 03-10 | worker |
| E3 | 04-01 | in care | worker 03-01, worker2 04-01 (both cover the removal) | worker2 |
| E4 | 05-01 | adopted 09-01 | worker from 05-10 | nobody |
| E5 (Humboldt) | 02-01 | reunified 05-01 | humboldt_worker 02-01 | humboldt_worker |

(Dates in 2024 unless a year is given; worker = fresno_worker, worker2 = fresno_worker2.)

P1 for 2024: fresno_worker 1 of 2 (E2 takes longer than 12 months), fresno_worker2 0 of 1,
Fresno Central 1 of 3. P5 days to 2025-01-01 or discharge: E1 182, E2 297, E3 275.
Fidelity in 2024: fresno_worker 2 of 4 ratings proficient, fresno_worker2 3 of 4 (a 2023
observation of fresno_worker does not count), Fresno Central 5 of 8.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.roles import Role
from practicehub.fidelity.demo import demo_tool
from practicehub.fidelity.models import ObservationTool, Setting
from practicehub.fidelity.services import beside_outcomes
from practicehub.fidelity.services.observations import (
    NewObservation,
    entries_by_code,
    save_draft,
    start_observation,
    submit,
)
from practicehub.outcomes.data import store
from practicehub.outcomes.data.store import OutcomeData
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.services import dashboard_periods
from practicehub.outcomes.services.access import OutcomeScope, default_database, open_outcomes
from practicehub.outcomes.tests.builders import (
    child,
    episode,
    placement,
    population,
    write_data,
)
from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import PASSWORD, Personas

PERIOD = Period(date(2024, 1, 1), date(2024, 12, 31))
UNSUPPRESSED = OutcomeScope(statewide=True, counties=(), unsuppressed=True)
SUPPRESSED = OutcomeScope(statewide=True, counties=(), unsuppressed=False)


@dataclass(frozen=True)
class World:
    tool: ObservationTool
    worker: User
    second_worker: User
    humboldt_worker: User


def _observe(tool: ObservationTool, worker: User, observer: User, on: date,
             scores: list[str]) -> None:
    observation = start_observation(NewObservation(
        tool=tool, worker=worker, observer=observer, observed_on=on,
        setting=Setting.HOME_VISIT), observer)
    codes = tool.behaviors.order_by("order").values_list("code", flat=True)
    save_draft(observation, observer, entries_by_code(
        observation, dict(zip(codes, scores, strict=False))))
    submit(observation, observer)


def _assignment(episode_id: str, worker: str, start: str, end: str = "",
                office: str = "fresno-central") -> dict[str, str]:
    return {"episode_id": episode_id, "worker_id": worker, "office": office,
            "start_date": start, "end_date": end}


def _outcome_data(directory: Path) -> Path:
    return write_data(
        directory,
        children=[child(f"C{n}") for n in range(1, 6)],
        episodes=[
            episode("E1", "C1", "2024-02-01", "2024-08-01", office="fresno-central"),
            episode("E2", "C2", "2024-03-10", "2025-06-01", office="fresno-central"),
            episode("E3", "C3", "2024-04-01", office="fresno-central"),
            episode("E4", "C4", "2024-05-01", "2024-09-01", "adoption", office="fresno-central"),
            episode("E5", "C5", "2024-02-01", "2024-05-01", county="06023",
                    office="humboldt-eureka"),
        ],
        placements=[
            placement("E1", "2024-02-01", "2024-04-01"),
            placement("E1", "2024-04-01", "2024-08-01", "relative_foster"),
            placement("E2", "2024-03-10", "2025-06-01"),
            placement("E3", "2024-04-01"),
            placement("E4", "2024-05-01", "2024-09-01", "pre_adoptive"),
            placement("E5", "2024-02-01", "2024-05-01"),
        ],
        populations=[population("06019", 2024, "white", 5, 1000)],
        assignments=[
            _assignment("E1", "fresno_worker", "2024-02-01", "2024-03-01", office=""),
            _assignment("E1", "fresno_worker2", "2024-03-01"),
            _assignment("E2", "fresno_worker2", "2024-01-01", "2024-03-10"),
            _assignment("E2", "fresno_worker", "2024-03-10"),
            _assignment("E3", "fresno_worker", "2024-03-01"),
            _assignment("E3", "fresno_worker2", "2024-04-01"),
            _assignment("E4", "fresno_worker", "2024-05-10"),
            _assignment("E5", "humboldt_worker", "2024-02-01", office="humboldt-eureka"),
        ],
    )


def build_world(personas: Personas, settings: Any, tmp_path: Path) -> World:
    """The world of the module docstring, its outcome data imported into a fresh OUTCOMES_DIR."""
    load_shipped_models()
    second = ensure_person(DemoLogin("fresno_worker2", "Bo", "Second", Role.PRACTITIONER,
                                     "fresno-central-unit-b"), password=PASSWORD)
    tool = demo_tool()
    coach = personas.fresno.coach
    _observe(tool, personas.fresno.practitioner, coach, date(2024, 5, 1), ["3", "3", "2", "1"])
    _observe(tool, personas.fresno.practitioner, coach, date(2023, 5, 1), ["1", "1", "1", "1"])
    _observe(tool, second, coach, date(2024, 6, 1), ["3", "3", "3", "2"])
    settings.OUTCOMES_DIR = tmp_path / "outcomes"
    store.import_directory(_outcome_data(tmp_path / "data"), default_database())
    return World(tool, personas.fresno.practitioner, second, personas.humboldt.practitioner)


@pytest.fixture
def world(personas: Personas, settings: Any, tmp_path: Path) -> World:
    return build_world(personas, settings, tmp_path)


@pytest.fixture
def data(world: World) -> Iterator[OutcomeData]:
    opened = open_outcomes()
    assert opened is not None
    yield opened
    opened.close()


def _counts(row: beside_outcomes.LinkedRow) -> list[tuple[int | None, int | None]]:
    return [(outcome.numerator, outcome.denominator) for outcome in row.outcomes]


def _link(data: OutcomeData, world: World, user: User, scope: OutcomeScope = UNSUPPRESSED,
          workers: list[User] | None = None) -> beside_outcomes.FidelityOutcomes:
    offices = [OrgNode.objects.get(code="fresno-central")]
    chosen = [world.worker, world.second_worker] if workers is None else workers
    return beside_outcomes.fidelity_outcomes(data, user, world.tool, PERIOD, scope, offices,
                                           chosen)


def test_an_episode_counts_for_the_worker_assigned_on_its_removal_date(
    data: OutcomeData, world: World, personas: Personas,
) -> None:
    result = _link(data, world, personas.fresno.coach)
    by_worker = {row.key: _counts(row) for row in result.workers}
    # P1 (children, permanent) and P5 (moves, days) as in the module docstring.
    assert by_worker == {"fresno_worker": [(1, 2), (1, 182 + 297)],
                         "fresno_worker2": [(0, 1), (0, 275)]}
    moves = result.workers[0].outcome("placement_moves_per_1000_days")
    assert moves.value == pytest.approx(1000 / 479)


def test_an_office_counts_its_workers_episodes_and_not_the_unassigned_one(
    data: OutcomeData, world: World, personas: Personas,
) -> None:
    [office] = _link(data, world, personas.fresno.coach).offices
    assert (office.key, _counts(office)) == ("fresno-central", [(1, 3), (1, 754)])
    permanency = office.outcome("permanency_12m_entries")
    assert permanency.ci_low is not None
    assert permanency.ci_low < 1 / 3 < (permanency.ci_high or 0)


def test_fidelity_is_the_share_proficient_of_ratings_in_the_period(
    data: OutcomeData, world: World, personas: Personas,
) -> None:
    result = _link(data, world, personas.fresno.coach)
    shares = {row.key: (row.fidelity.proficient, row.fidelity.rated)
              for row in [*result.offices, *result.workers] if row.fidelity is not None}
    assert shares == {"fresno-central": (5, 8), "fresno_worker": (2, 4),
                      "fresno_worker2": (3, 4)}


def test_small_counts_are_suppressed_for_everyone_without_the_analyst_capability(
    data: OutcomeData, world: World, personas: Personas,
) -> None:
    result = _link(data, world, personas.fresno.coach, SUPPRESSED)
    assert result.suppressed
    for row in [*result.offices, *result.workers]:
        permanency = row.outcome("permanency_12m_entries")
        assert permanency.suppressed
        assert permanency.numerator is None


def test_a_worker_who_carried_nothing_has_zero_counts_not_a_missing_row(
    data: OutcomeData, world: World, personas: Personas,
) -> None:
    result = _link(data, world, personas.fresno.coach, workers=[personas.fresno.lead])
    assert [_counts(row) for row in result.workers] == [[(0, 0), (0, 0)]]
    assert result.workers[0].fidelity is None


def test_the_default_period_is_the_outcome_pages_default(data: OutcomeData) -> None:
    # Data to May 2024: the latest federal year they reach is 22B23A (to September 2023), and
    # the default is the year before it, whose entries have had a full year of follow-up.
    assert beside_outcomes.data_until(data) == date(2024, 5, 1)
    assert beside_outcomes.default_period(data) == Period(date(2021, 10, 1), date(2022, 9, 30))
    assert beside_outcomes.default_period(data) == dashboard_periods.default_period(
        date(2024, 5, 1))


def test_coaches_see_their_offices_workers_and_practitioners_only_themselves(
    world: World, personas: Personas,
) -> None:
    coach_workers = beside_outcomes.workers_in_scope(personas.fresno.coach)
    assert set(coach_workers) == {world.worker, world.second_worker}
    assert list(beside_outcomes.workers_in_scope(world.worker)) == [world.worker]
    assert list(beside_outcomes.workers_in_scope(personas.fresno.evaluator)) == []
    offices = beside_outcomes.offices_in_scope(personas.fresno.coach)
    assert [office.code for office in offices] == ["fresno-central"]
    assert list(beside_outcomes.offices_in_scope(world.worker)) == []
