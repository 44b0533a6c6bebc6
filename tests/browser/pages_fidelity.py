"""Fidelity pages for the accessibility walk. Records the pages need are made on first use."""

from __future__ import annotations

from datetime import date
from typing import Any

from practicehub.accounts.models import User
from practicehub.fidelity.demo import demo_tool
from practicehub.fidelity.models import CoachingPlan, Observation, Setting
from practicehub.fidelity.services import coaching
from practicehub.fidelity.services.observations import (
    NewObservation,
    entries_by_code,
    save_draft,
    start_observation,
    submit,
)
from tests.browser.pages import Arguments


def _people() -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(
        username__in=["fresno_worker", "fresno_coach", "fresno_lead"])}


def _observation(draft: bool = False, observer: User | None = None) -> Observation:
    """A draft belongs to its observer (only they may open its form), so each walker gets one."""
    people, tool = _people(), demo_tool()
    observer = observer or people["fresno_coach"]
    reference = f"axe-draft-{observer.username}" if draft else "axe-submitted"
    found = Observation.objects.filter(reference=reference).first()
    if found:
        return found
    observation = start_observation(NewObservation(
        tool=tool, worker=people["fresno_worker"], observer=observer,
        observed_on=date(2025, 3, 3), setting=Setting.HOME_VISIT, reference=reference),
        observer)
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    save_draft(observation, observer, entries_by_code(
        observation, {code: "3" if n % 2 else "2" for n, code in enumerate(codes)}))
    return observation if draft else submit(observation, observer)


def _submitted(user: User) -> dict[str, Any]:
    return {"pk": _observation().pk}


def _draft(user: User) -> dict[str, Any]:
    return {"pk": _observation(draft=True, observer=user).pk}


def _worker(user: User) -> dict[str, Any]:
    return {"pk": _people()["fresno_worker"].pk}


def _plan(user: User) -> dict[str, Any]:
    found = CoachingPlan.objects.filter(person__username="fresno_worker").first()
    if found is None:
        _observation()
        people = _people()
        found = coaching.start_plan(people["fresno_worker"], people["fresno_coach"],
                                    demo_tool(), date(2025, 4, 1))
    return {"pk": found.pk}


def _none(user: User) -> dict[str, Any]:
    demo_tool()
    return {}


def _with_data(user: User) -> dict[str, Any]:
    _observation()
    return {}


PAGES: dict[str, Arguments] = {
    "fidelity:dashboard": _with_data,
    "fidelity:agreement": _with_data,
    "fidelity:tools": _none,
    "fidelity:tool_create": _none,
    "fidelity:observations": _with_data,
    "fidelity:observation_start": _none,
    "fidelity:observation_import": _none,
    "fidelity:observation": _submitted,
    "fidelity:observation_edit": _draft,
    "fidelity:observation_amend": _submitted,
    "fidelity:observation_submit": _draft,
    "fidelity:worker": _worker,
    "fidelity:plans": _none,
    "fidelity:plan": _plan,
    "fidelity:plan_new": _with_data,
}

NOT_PAGES: dict[str, str] = {
    "fidelity:observation_export": "CSV download",
    "fidelity:plan_start": "POST-only action",
    "fidelity:plan_close": "POST-only action; refusals are messages on the plan page",
    "fidelity:goal_met": "POST-only action; refusals are messages on the plan page",
    "fidelity:observation_template": "CSV download",
    "fidelity:goal_add": "POST-only action; its error state renders the plan page",
    "fidelity:session_add": "POST-only action; its error state renders the plan page",
    "api:fidelity_tools": "JSON API",
    "api:fidelity_observations": "JSON API",
    "api:fidelity_observation": "JSON API",
    "api:fidelity_observation_ratings": "JSON API",
    "api:fidelity_observation_submit": "JSON API",
    "api:fidelity_observation_amend": "JSON API",
    "api:fidelity_scores": "JSON API",
}
