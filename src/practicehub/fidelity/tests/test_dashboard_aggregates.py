"""The kept aggregates give exactly the figures a recompute from the ratings gives, after any
sequence of submits, second ratings, amendments, drafts and removals; and the view after a
submit or an amendment reads them, not the ratings."""

from __future__ import annotations

import random
from contextlib import suppress
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.models import OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Role
from practicehub.fidelity.models import (
    DashboardAggregate,
    DashboardState,
    DashboardWorkerStatus,
    Observation,
    ObservationTool,
    Status,
)
from practicehub.fidelity.scales import scale_of
from practicehub.fidelity.services import aggregates, dashboards
from practicehub.fidelity.services.dashboards import Scope
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.importing import CSV_FIELDS, import_observations
from practicehub.fidelity.services.observations import Entry, amend
from practicehub.fidelity.tests.conftest import Observe
from practicehub.testing.personas import Personas

EVERY_BY = [*dashboards.CONTENT_LEVELS, *dashboards.PERIODS, *dashboards.PLACE_LEVELS]
PLACES = ["ca", "fresno", "fresno-central-unit-a", "humboldt"]
LONG_AGO = date(2000, 1, 1)  # a period scope: its figures are grouped from the ratings
FAR_AHEAD = date(2100, 1, 1)  # statuses as of a day: counted from the observations


def _figures(tool: ObservationTool, since: date | None) -> list[Any]:
    found = []
    for code in PLACES:
        for sees in (True, False):
            scope = Scope(tool=tool, node=OrgNode.objects.get(code=code), sees_people=sees,
                          since=since)
            found += [(code, sees, by, dashboards.groups_by(scope, by)) for by in EVERY_BY]
    return found


def _statuses(tool: ObservationTool, until: date | None) -> list[Any]:
    """Every place's worker statuses and workers at fidelity: today's from the kept statuses,
    or (``until``) counted from the observations by the window query."""
    found: list[Any] = []
    for node in OrgNode.objects.order_by("path"):
        scope = Scope(tool=tool, node=node, sees_people=True, until=until)
        found.append((node.code, dashboards.worker_statuses(scope)))
        found += [(node.code, level, dashboards.workers_at_fidelity(scope, level))
                  for level in ("unit", "office", "county", "state")]
    return found


def _assert_kept_match_recompute(tool: ObservationTool) -> None:
    kept, recomputed = _figures(tool, None), _figures(tool, LONG_AGO)
    assert kept == recomputed
    assert any(groups for *_, groups in kept)
    kept_statuses = _statuses(tool, None)
    assert kept_statuses == _statuses(tool, FAR_AHEAD)
    assert any(statuses for _, statuses, *rest in kept_statuses if not rest)


def _people(personas: Personas) -> tuple[list[tuple[User, User]], User]:
    def person(name: str, role: Role, node: str) -> User:
        return ensure_person(DemoLogin(name, "P", name, role, node))

    fresno = [person(f"agg.w{n}", Role.PRACTITIONER, unit) for n, unit in
              enumerate(["fresno-central-unit-a"] * 3 + ["fresno-central-unit-b"] * 2)]
    humboldt = [person(f"agg.h{n}", Role.PRACTITIONER, "humboldt-eureka-unit-a")
                for n in range(2)]
    pairs = ([(w, personas.fresno.coach) for w in fresno]
             + [(w, personas.humboldt.coach) for w in humboldt])
    return pairs, person("agg.second", Role.COACH, "fresno-central")


def _scores(rng: random.Random, count: int) -> list[int | None]:
    # Mostly proficient, so that some observations meet the 80 % rule.
    return [rng.choice([1, 2, 3, 3, 3, 3, 3, None]) for _ in range(count)]


def _amend_one(rng: random.Random, tool: ObservationTool, observation: Observation) -> None:
    values = scale_of(tool.scale).values
    behaviors = list(tool.behaviors.order_by("order").values_list("id", flat=True))
    entries: dict[int, Entry] = {}
    for behavior in rng.sample(behaviors, rng.randint(1, len(behaviors))):
        score = rng.choice([*values, None])
        entries[behavior] = ("rated", score) if score is not None else ("not_applicable", None)
    with suppress(FidelityError):  # nothing changed
        amend(observation, observation.observer, entries, "Checked against the notes.")


def _step(rng: random.Random, tool: ObservationTool, observe: Observe,
          pairs: list[tuple[User, User]], second: User) -> None:
    submitted = list(Observation.objects.filter(tool=tool, status=Status.SUBMITTED,
                                                paired_with__isnull=True))
    action = rng.choice(["submit", "submit", "submit", "second", "amend", "draft", "remove",
                         "move"])
    day = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
    worker, coach = rng.choice(pairs)
    if action == "submit" or not submitted:
        observe(worker, coach, _scores(rng, 5), on=day)
    elif action == "second":
        first = rng.choice(submitted)
        if first.node.path.startswith(OrgNode.objects.get(code="fresno").path):
            observe(first.worker, second, _scores(rng, 5), on=first.observed_on,
                    paired_with=first)
    elif action == "amend":
        _amend_one(rng, tool, rng.choice(submitted))
    elif action == "move":  # a Fresno worker moves to the other unit: later visits are there
        mover = next(w for w, _ in pairs if w.username == "agg.w0")
        assignment = RoleAssignment.objects.get(user=mover, role=Role.PRACTITIONER)
        units = ["fresno-central-unit-a", "fresno-central-unit-b"]
        assignment.node = OrgNode.objects.get(
            code=units[1 - units.index(assignment.node.code)])
        assignment.save()
    elif action == "draft":
        observe(worker, coach, _scores(rng, 5), on=day, submit_it=False)
    else:  # removed around the services, as an administrator might: the view rebuilds
        gone = rng.choice(submitted)
        gone.second_ratings.all().delete()
        gone.delete()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_aggregates_give_the_figures_of_a_recompute_after_random_changes(
    personas: Personas, tool: ObservationTool, observe: Observe, settings: Any, seed: int,
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    rng = random.Random(seed)
    pairs, second = _people(personas)
    for _ in range(6):
        observe(*rng.choice(pairs), _scores(rng, 5),
                on=date(2024, 1, 1) + timedelta(days=rng.randrange(730)))
    _assert_kept_match_recompute(tool)
    for step in range(30):
        _step(rng, tool, observe, pairs, second)
        if step % 10 == 9:
            _assert_kept_match_recompute(tool)
    _assert_kept_match_recompute(tool)
    assert DashboardWorkerStatus.objects.filter(tool=tool, meeting__gt=0).exists()
    # And the rows kept change by change are the rows a rebuild from the ratings makes.
    fields = ["node_id", "worker_id", "dimension", "key", "observations", "rated",
              "proficient", "score_sum"]
    kept = sorted(DashboardAggregate.objects.filter(tool=tool).values_list(*fields))
    status_fields = ["place_id", "worker_id", "node_id", "considered", "meeting"]
    statuses = sorted(DashboardWorkerStatus.objects.filter(tool=tool).values_list(*status_fields))
    aggregates.rebuild(tool)
    assert kept == sorted(DashboardAggregate.objects.filter(tool=tool).values_list(*fields))
    assert statuses == sorted(
        DashboardWorkerStatus.objects.filter(tool=tool).values_list(*status_fields))


def test_the_view_after_a_submit_or_an_amendment_reads_kept_rows_not_ratings(
    personas: Personas, tool: ObservationTool, observe: Observe, settings: Any,
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    coach, worker = personas.fresno.coach, personas.fresno.practitioner
    first = observe(worker, coach, [3, 3, 1, 1, 2], on=date(2025, 3, 5))
    node = personas.fresno.county

    def view() -> list[tuple[str, int, int, int]]:
        scope = Scope(tool=tool, node=node, sees_people=True)
        at_fidelity.append([(s.considered, s.meeting) for s in dashboards.worker_statuses(scope)])
        assert [g.workers for g in dashboards.workers_at_fidelity(scope, "county")] == [1]
        return [(g.label, g.rated, g.proficient, g.observations)
                for g in dashboards.by_period(scope, "month")]

    at_fidelity: list[list[tuple[int, int]]] = []  # (considered, meeting) at each view
    assert view() == [("2025-03", 5, 2, 1)]  # the first view builds the rows
    version = DashboardState.objects.get(tool=tool).version
    observe(worker, coach, [3, 3, 3, None, 3], on=date(2025, 3, 20))
    with CaptureQueriesContext(connection) as after_submit:
        assert view() == [("2025-03", 9, 6, 2)]
    behaviors = list(tool.behaviors.order_by("order").values_list("id", flat=True))
    amend(first, coach, {behaviors[2]: ("rated", 3)}, "Scored from the wrong sheet.")
    with CaptureQueriesContext(connection) as after_amend:
        assert view() == [("2025-03", 9, 7, 2)]
    for captured in (after_submit, after_amend):
        assert not any("fidelity_rating" in q["sql"] for q in captured.captured_queries)
        # The workers at fidelity come from the kept statuses, not a window over observations.
        assert not any("ROW_NUMBER" in q["sql"].upper() for q in captured.captured_queries)
    # The worker's observations considered and meeting the 80 % rule: 2 of 5 proficient, then
    # the later visit's 4 of 4 too, then the amended first one's 3 of 5 (still short), as the
    # window query counts them.
    assert at_fidelity == [[(1, 0)], [(2, 1)], [(2, 1)]]
    as_of_today = Scope(tool=tool, node=node, sees_people=True, until=FAR_AHEAD)
    assert [(s.considered, s.meeting)
            for s in dashboards.worker_statuses(as_of_today)] == at_fidelity[-1]
    assert DashboardState.objects.get(tool=tool).version == version + 2


def test_rows_written_around_the_services_are_counted_at_the_next_view(
    personas: Personas, tool: ObservationTool, observe: Observe, settings: Any,
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    coach, worker = personas.fresno.coach, personas.fresno.practitioner
    scope = Scope(tool=tool, node=personas.fresno.county, sees_people=True)
    observe(worker, coach, [3, 3, 1, 1, 2], on=date(2025, 3, 5))
    gone = observe(worker, coach, [1, 1, 1, 1, 1], on=date(2025, 4, 5))
    assert [g.rated for g in dashboards.by_period(scope, "month")] == [5, 5]
    gone.delete()  # no service saw it; then a submit through the services
    observe(worker, coach, [3, 3, 3, 3, 3], on=date(2025, 5, 5))
    later = Scope(tool=tool, node=personas.fresno.county, sees_people=True)
    assert [(g.label, g.proficient) for g in dashboards.by_period(later, "month")] == [
        ("2025-03", 2), ("2025-05", 5)]


def test_an_import_refreshes_the_kept_rows_once_for_every_worker_of_the_file(
    personas: Personas, tool: ObservationTool, observe: Observe, settings: Any,
) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    observe(personas.fresno.practitioner, personas.fresno.coach, [3, 1, 1, 1, 1],
            on=date(2025, 1, 3))
    scope = Scope(tool=tool, node=OrgNode.objects.get(code="ca"), sees_people=True)
    assert [g.rated for g in dashboards.by_period(scope, "month")] == [5]  # rows now current
    version = DashboardState.objects.get(tool=tool).version
    codes = ",".join(tool.behaviors.order_by("order").values_list("code", flat=True))
    text = "\n".join([
        f"{','.join(CSV_FIELDS)},{codes}",
        "r1,fresno_worker,fresno_coach,coach,2025-01-10,home_visit,,,3,3,3,2,NA",
        "r2,fresno_worker,fresno_partner,partner,2025-01-10,home_visit,r1,,1,1,1,1,1",
        "r3,humboldt_worker,humboldt_coach,coach,2025-02-11,home_visit,,,3,3,NA,NA,3",
    ]) + "\n"
    import_observations(text, tool, personas.state_admin)
    assert DashboardState.objects.get(tool=tool).version == version + 1
    with CaptureQueriesContext(connection) as view:
        later = Scope(tool=tool, node=OrgNode.objects.get(code="ca"), sees_people=True)
        assert [(g.label, g.rated, g.proficient, g.workers, g.observations)
                for g in dashboards.by_period(later, "month")] == [
            ("2025-01", 9, 4, 1, 2), ("2025-02", 3, 3, 1, 1)]
    assert not any("fidelity_rating" in q["sql"] for q in view.captured_queries)
    _assert_kept_match_recompute(tool)
