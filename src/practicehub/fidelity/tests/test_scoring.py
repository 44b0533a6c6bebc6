"""The fidelity rule: what counts as meeting fidelity for one observation and for a worker."""

from __future__ import annotations

from datetime import date

from practicehub.fidelity.models import ObservationTool
from practicehub.fidelity.services.scoring import observation_result, validate_rule, worker_result
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas


def test_four_of_five_proficient_meets_an_80_percent_rule_exactly() -> None:
    result = observation_result(3, 80, [3, 3, 3, 3, 2])
    assert (result.rated, result.proficient, result.meets) == (5, 4, True)


def test_three_of_five_proficient_falls_short() -> None:
    assert observation_result(3, 80, [3, 3, 3, 2, 1]).meets is False


def test_behaviors_not_observed_are_left_out_of_the_share() -> None:
    result = observation_result(3, 80, [3, 3, 3, 3, None, None])
    assert (result.rated, result.meets) == (4, True)


def test_an_observation_with_nothing_rated_has_no_result() -> None:
    assert observation_result(3, 80, [None, None]).meets is None


def test_a_worker_meets_fidelity_when_enough_of_the_latest_observations_do(
    tool: ObservationTool,
) -> None:
    tool.worker_latest, tool.worker_meeting = 3, 2
    assert worker_result(tool, [True, False, True, False]) is True
    # An older success outside the window does not count.
    assert worker_result(tool, [False, False, True, True]) is False


def test_a_rule_that_asks_for_more_than_it_considers_is_refused() -> None:
    problems = validate_rule([1, 2, 3], 4, 120, 2, 3)
    assert len(problems) == 3
    assert "The proficient point must be one of [1, 2, 3]." in problems


def test_submitting_keeps_the_counts_and_result_on_the_observation(
    personas: Personas, observe: Observe,
) -> None:
    observation = observe(personas.fresno.practitioner, personas.fresno.coach,
                          [3, 3, 2, None, 3], on=date(2025, 1, 6))
    assert observation.status == "submitted"
    assert (observation.rated_count, observation.proficient_count) == (4, 3)
    assert observation.meets_fidelity is False
