"""Synthetic fidelity data for the demo: two years of monthly observations of the seed sites'
practitioners, some rated by a second observer, with offices improving at different speeds.

Deterministic (a fixed seed; dates count back from the current month) and idempotent: nothing is
added when demo observations already exist. Rows go in with bulk_create, so it takes seconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from practicehub.accounts.demo import STAFF_SITES
from practicehub.accounts.models import OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Role
from practicehub.fidelity.models import (
    CoachingPlan,
    Mark,
    Observation,
    ObservationTool,
    ObserverKind,
    Rating,
    Setting,
    Status,
    period_keys,
)
from practicehub.fidelity.services import aggregates, coaching
from practicehub.fidelity.services.observations import ToolSpec, create_tool
from practicehub.fidelity.services.scoring import observation_result
from practicehub.practice_model.models import Behavior
from practicehub.practice_model.services import find_version

TOOL_NAME = "CFPM practice behaviors"
MONTHS = 24
SEED = 20260101
SETTINGS = [Setting.HOME_VISIT, Setting.CFT_MEETING, Setting.SUPERVISION, Setting.COURT]


@dataclass(frozen=True)
class Planned:
    worker: User
    node: OrgNode
    observer: User
    second: User | None
    observed_on: date
    chance: float


def demo_tool() -> ObservationTool:
    found = ObservationTool.objects.filter(name=TOOL_NAME).first()
    if found:
        return found
    version = find_version("cfpm")
    behaviors = list(Behavior.objects.filter(version=version, behavior_set="practice"))
    return create_tool(ToolSpec(name=TOOL_NAME, version=version, scale="profile",
                                behaviors=behaviors, settings=list(Setting.values),
                                worker_latest=3, worker_meeting=2))


def _people(role: Role, county: OrgNode) -> list[tuple[User, OrgNode]]:
    found = (RoleAssignment.objects.filter(role=role, node__path__startswith=county.path)
             .select_related("user", "node").order_by("node__path", "user__username"))
    return [(a.user, a.node) for a in found]


def _month_start(today: date, back: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
    return date(year, month + 1, 1)


def _plan_county(county: OrgNode, rng: random.Random, today: date) -> list[Planned]:
    coaches = _people(Role.COACH, county)
    partners = [user for user, _ in _people(Role.PARTNER, county)]
    planned = []
    offices = sorted({node.path for _, node in coaches})
    for worker, unit in _people(Role.PRACTITIONER, county):
        office_coaches = [c for c, node in coaches if unit.path.startswith(node.path)]
        if not office_coaches:
            continue
        # Offices improve at different speeds: the first office in a county fastest.
        office_index = next((i for i, path in enumerate(offices) if unit.path.startswith(path)), 0)
        speed = 0.025 - 0.008 * office_index + rng.uniform(-0.004, 0.004)
        others = [c for c, _ in coaches if c not in office_coaches] + partners
        for back in range(MONTHS, 0, -1):
            if rng.random() < 0.25:
                continue
            on = _month_start(today, back) + timedelta(days=rng.randrange(0, 27))
            chance = min(0.95, 0.35 + speed * (MONTHS - back) + rng.uniform(-0.05, 0.05))
            second = rng.choice(others) if others and rng.random() < 0.15 else None
            planned.append(Planned(worker, unit, office_coaches[0], second, on, chance))
    return planned


def _scores(rng: random.Random, count: int, chance: float) -> list[int | None]:
    scores: list[int | None] = []
    for _ in range(count):
        draw = rng.random()
        if draw < 0.05:
            scores.append(None)
        else:
            scores.append(3 if rng.random() < chance else (2 if rng.random() < 0.75 else 1))
    return scores


def _second_scores(rng: random.Random, first: list[int | None]) -> list[int | None]:
    """A second observer mostly agrees, otherwise is one point off."""
    return [score if score is None or rng.random() < 0.8
            else max(1, min(3, score + rng.choice((-1, 1)))) for score in first]


def _observation(tool: ObservationTool, plan: Planned, observer: User, scores: list[int | None],
                 first: Observation | None, rng: random.Random, reference: str) -> Observation:
    result = observation_result(tool.proficient_score, tool.observation_share, scores)
    kind = ObserverKind.COACH
    if first is not None and RoleAssignment.objects.filter(user=observer,
                                                          role=Role.PARTNER).exists():
        kind = ObserverKind.PARTNER
    return Observation(
        tool=tool, worker=plan.worker, node=plan.node, observer=observer, observer_kind=kind,
        recorded_by=plan.observer, paired_with=first, observed_on=plan.observed_on,
        setting=rng.choice(SETTINGS), reference=reference, status=Status.SUBMITTED,
        submitted_at=timezone.now(), rated_count=result.rated,
        proficient_count=result.proficient, meets_fidelity=result.meets,
        **period_keys(plan.observed_on))  # bulk_create does not call save


def _ratings(observation: Observation, behaviors: list[Behavior],
             scores: list[int | None]) -> list[Rating]:
    return [Rating(observation=observation, behavior=behavior,
                   mark=Mark.RATED if score is not None else Mark.NOT_OBSERVED, score=score)
            for behavior, score in zip(behaviors, scores, strict=True)]


def _store(tool: ObservationTool, planned: list[Planned], rng: random.Random) -> int:
    behaviors = list(tool.behaviors.order_by("order"))
    firsts, seconds, ratings = [], [], []
    first_scores = []
    for index, plan in enumerate(planned):
        scores = _scores(rng, len(behaviors), plan.chance)
        firsts.append(_observation(tool, plan, plan.observer, scores, None, rng, f"demo-{index}"))
        first_scores.append(scores)
    Observation.objects.bulk_create(firsts, batch_size=500)
    for index, (plan, first, scores) in enumerate(zip(planned, firsts, first_scores,
                                                      strict=True)):
        ratings += _ratings(first, behaviors, scores)
        if plan.second is not None:
            again = _second_scores(rng, scores)
            seconds.append((_observation(tool, plan, plan.second, again, first, rng,
                                         f"demo-{index}-b"), again))
    Observation.objects.bulk_create([obs for obs, _ in seconds], batch_size=500)
    for observation, scores in seconds:
        ratings += _ratings(observation, behaviors, scores)
    Rating.objects.bulk_create(ratings, batch_size=2000)
    return len(firsts) + len(seconds)


def _coaching_examples(tool: ObservationTool, today: date) -> None:
    people = {user.username: user for user in User.objects.filter(
        username__in=["fresno.lead", "fresno.coach", "fresno.worker"])}
    if len(people) < 3 or CoachingPlan.objects.exists():
        return
    supervisor = coaching.start_plan(people["fresno.coach"], people["fresno.lead"], None,
                                     today - timedelta(days=200))
    coaching.add_goal(supervisor, "Model curiosity about family culture in every supervision.",
                      None, today + timedelta(days=60))
    worker = coaching.start_plan(people["fresno.worker"], people["fresno.coach"], tool,
                                 today - timedelta(days=120))
    focus = worker.focus_behaviors.first()
    coaching.add_goal(worker, "Invite the family's own supports to every team meeting.", focus,
                      today + timedelta(days=90))
    coaching.add_session(worker, people["fresno.coach"], today - timedelta(days=90),
                         "Reviewed the last home visit; practised open questions.",
                         "Observe the next team meeting together.")
    coaching.add_session(worker, people["fresno.coach"], today - timedelta(days=30),
                         "Debriefed the team meeting; the family's aunt joined.",
                         "Keep a list of the supports each family names.")


def load_demo(progress: Callable[[str], None]) -> None:
    if Observation.objects.filter(reference__startswith="demo-").exists():
        progress("Fidelity demo data already present.")
        return
    progress("Creating fidelity observations (two years) …")
    today = timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  (synthetic demo data, not security)
    with transaction.atomic():
        tool = demo_tool()
        planned: list[Planned] = []
        for code in STAFF_SITES:
            county = OrgNode.objects.filter(code=code).first()
            if county is not None:
                planned += _plan_county(county, rng, today)
        count = _store(tool, planned, rng)
        _coaching_examples(tool, today)
        aggregates.rebuild(tool)  # bulk_create passed the services: the dashboard's rows
    progress(f"  {count} observations.")
