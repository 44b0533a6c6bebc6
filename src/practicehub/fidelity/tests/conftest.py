"""Fixtures for the fidelity tests: a five-behavior tool on the shipped CFPM and a way to record
submitted observations quickly."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pytest

from practicehub.accounts.models import User
from practicehub.fidelity.models import Observation, ObservationTool, Setting
from practicehub.fidelity.services.observations import (
    NewObservation,
    ToolSpec,
    create_tool,
    save_draft,
    start_observation,
    submit,
)
from practicehub.practice_model.services import find_version, load_shipped_models
from practicehub.testing.personas import Personas

Observe = Callable[..., Observation]


@pytest.fixture
def tool(personas: Personas) -> ObservationTool:
    load_shipped_models()
    version = find_version("cfpm")
    behaviors = list(version.behavior_set.filter(behavior_set="practice").order_by("order")[:5])
    return create_tool(ToolSpec(name="CFPM practice behaviors", version=version,
                                scale="profile", behaviors=behaviors,
                                settings=[Setting.CFT_MEETING, Setting.HOME_VISIT]))


@pytest.fixture
def observe(tool: ObservationTool) -> Observe:
    """Record and submit an observation of ``worker`` with ``scores`` in behavior order."""

    def _observe(worker: User, observer: User, scores: Sequence[int | None],
                 on: date = date(2025, 3, 3), paired_with: Observation | None = None,
                 submit_it: bool = True) -> Observation:
        observation = start_observation(NewObservation(
            tool=tool, worker=worker, observer=observer, observed_on=on,
            setting=Setting.HOME_VISIT, paired_with=paired_with), observer)
        ids = list(tool.behaviors.order_by("order").values_list("id", flat=True))
        entries = {behavior: (("rated", score) if score is not None else ("not_observed", None))
                   for behavior, score in zip(ids, scores, strict=False)}
        save_draft(observation, observer, entries)
        return submit(observation, observer) if submit_it else observation

    return _observe
