"""``practicehub bench fidelity``: the dashboard aggregations against a plain loop over ORM
objects, on the same synthetic ratings, in a throw-away database; then the dashboard page
itself (``page_view``: its first view, a repeat the cache answers, and the first view after a
submit and after an amendment, which read the kept aggregates the change refreshed).

Everything runs in child processes with their own data folder, so the real database is never
touched: one builds the data, then each approach runs in a fresh process, measured by wall-clock
time and by how far its peak resident memory (Linux VmHWM, reset first) grew while it ran.
tracemalloc is not used: it slows SQLite's Python-level date functions and would distort the
comparison.
"""

from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from practicehub.accounts.roles import Role

DEFAULT_RATINGS = 1_000_000
SEED = 7
PAGE_VIEWER = "bench.state.admin"  # opens /fidelity/ statewide in the page-view phase
COACH = "bench.coach"  # submits and amends an observation between the page views
LONG_AGO = date(2000, 1, 1)  # a period scope: grouped from the ratings, as every view was before


def add_arguments(parser: Any) -> None:
    parser.add_argument("--ratings", type=int, default=None,
                        help=f"Size of the synthetic data (default {DEFAULT_RATINGS:,}).")
    parser.add_argument("--database-url", default="",
                        help="An empty PostgreSQL database of your own to fill and measure "
                             "(postgres://…); a throw-away SQLite database if unset.")
    parser.add_argument("--without-loop", action="store_true",
                        help="Leave out the plain ORM loop (about 100 s at a million ratings).")


def _populate(ratings: int) -> Any:
    from django.core.management import call_command
    from django.utils import timezone

    from practicehub.accounts.models import OrgNode, RoleAssignment, User
    from practicehub.accounts.services.tree import SHIPPED_TREE, load_tree
    from practicehub.fidelity.demo import demo_tool
    from practicehub.fidelity.models import Mark, Observation, Rating, Status, period_keys
    from practicehub.practice_model.services import load_shipped_models

    call_command("migrate", interactive=False, verbosity=0)
    load_tree(SHIPPED_TREE)
    load_shipped_models()
    tool = demo_tool()
    behaviors = list(tool.behaviors.order_by("order"))
    units = list(OrgNode.objects.filter(kind="unit"))
    coach = User.objects.create(username=COACH)
    admin = User.objects.create(username=PAGE_VIEWER)
    RoleAssignment.objects.create(user=admin, role=Role.STATE_ADMIN,
                                  node=OrgNode.objects.get(code="ca"))
    RoleAssignment.objects.create(user=coach, role=Role.COACH,
                                  node=OrgNode.objects.get(code="ca"))
    observations = max(1, ratings // len(behaviors))
    workers = User.objects.bulk_create(
        User(username=f"bench.worker.{n}") for n in range(max(10, observations // 24)))
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=w, role=Role.PRACTITIONER, node=units[n % len(units)])
        for n, w in enumerate(workers))
    rng = random.Random(SEED)  # noqa: S311  (synthetic benchmark data)
    start, now = date(2024, 1, 1), timezone.now()
    for first in range(0, observations, 5000):
        batch = []
        for n in range(first, min(observations, first + 5000)):
            worker, day = workers[n % len(workers)], start + timedelta(days=n % 730)
            batch.append(Observation(
                tool=tool, worker=worker, node=units[(n % len(workers)) % len(units)],
                observer=coach, recorded_by=coach, observed_on=day, **period_keys(day),
                setting="home_visit", status=Status.SUBMITTED, submitted_at=now,
                rated_count=len(behaviors), proficient_count=0, meets_fidelity=rng.random() < .5))
        Observation.objects.bulk_create(batch)
        Rating.objects.bulk_create(
            (Rating(observation=obs, behavior=b, mark=Mark.RATED, score=rng.randint(1, 3))
             for obs in batch for b in behaviors), batch_size=10_000)
    return tool


def _dashboard(tool: Any, since: date | None = None) -> int:
    """Every figure list of the statewide dashboard: over all time from the kept aggregates;
    with ``since`` grouped from the ratings."""
    from practicehub.accounts.models import OrgNode
    from practicehub.fidelity.services import dashboards

    scope = dashboards.Scope(tool=tool, node=OrgNode.objects.get(code="ca"), sees_people=True,
                             since=since)
    groups = [dashboards.by_content(scope, level) for level in dashboards.CONTENT_LEVELS]
    groups += [dashboards.by_place(scope, level) for level in ("unit", "office", "county")]
    groups += [dashboards.by_period(scope, period) for period in dashboards.PERIODS]
    groups.append(dashboards.workers_at_fidelity(scope, "county"))  # type: ignore[arg-type]
    return sum(len(found) for found in groups)


def _plain_loop(tool: Any) -> int:
    """What the dashboard would cost written as a loop over model instances."""
    from practicehub.fidelity.models import Rating

    tallies: dict[tuple[str, Any], list[int]] = {}
    ratings = Rating.objects.filter(observation__tool=tool, mark="rated").select_related(
        "behavior__practice", "behavior__element", "observation__node")
    for rating in ratings.iterator(chunk_size=5000):
        observation = rating.observation
        month = observation.observed_on.replace(day=1)
        keys = [("behavior", rating.behavior.code),
                ("practice", rating.behavior.practice_id),
                ("element", rating.behavior.element_id),
                ("unit", observation.node_id), ("county", observation.node.path.split("/")[3]),
                ("month", month), ("quarter", (month.year, (month.month - 1) // 3))]
        for key in keys:
            counts = tallies.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += int((rating.score or 0) >= tool.proficient_score)
    return len(tallies)


def _recompute(tool: Any) -> int:
    """The same figures grouped from every rating: what each first view cost before the kept
    aggregates."""
    return _dashboard(tool, since=LONG_AGO)


APPROACHES: dict[str, Callable[[Any], int]] = {
    "database": _dashboard, "recompute": _recompute, "plain_loop": _plain_loop}


def _timed_view(client: Any) -> float:
    began = time.perf_counter()
    response = client.get("/fidelity/")
    seconds = round(time.perf_counter() - began, 3)
    if response.status_code != 200:
        raise RuntimeError(f"/fidelity/ answered {response.status_code}")
    return seconds


def _timed[T](call: Callable[[], T]) -> tuple[T, float]:
    began = time.perf_counter()
    found = call()
    return found, round(time.perf_counter() - began, 3)


def _new_observation(tool: Any) -> Any:
    """A draft of a worker's observation today, as the start form makes it, with every behavior
    rated."""
    from django.utils import timezone

    from practicehub.accounts.models import User
    from practicehub.fidelity.services import observations as obs

    coach = User.objects.get(username=COACH)
    draft = obs.start_observation(obs.NewObservation(
        tool=tool, worker=User.objects.get(username="bench.worker.0"), observer=coach,
        observed_on=timezone.localdate(), setting="home_visit"), coach)
    behaviors = list(tool.behaviors.values_list("id", flat=True))
    return obs.save_draft(draft, coach, {b: ("rated", 3) for b in behaviors})


def page_view_here() -> dict[str, Any]:
    """In a fresh child process: /fidelity/ as a state administrator sees it (every figure of
    the page, statewide), rendered by the real view through Django's test client: the first
    view, a repeat (from the cache), then a coach submits an observation and amends it, each
    timed, and the first view after each (both read the aggregates the change refreshed)."""
    from django.test import Client

    from practicehub.accounts.models import User
    from practicehub.core.services import kept
    from practicehub.fidelity.demo import demo_tool
    from practicehub.fidelity.services import observations as obs

    kept.forget_everything()  # the bench's own data folder: the figures the database phase kept
    client = Client()
    client.force_login(User.objects.get(username=PAGE_VIEWER))
    report = {"first_seconds": _timed_view(client), "repeat_seconds": _timed_view(client)}
    tool = demo_tool()
    coach = User.objects.get(username=COACH)
    draft = _new_observation(tool)
    submitted, report["submit_seconds"] = _timed(lambda: obs.submit(draft, coach))
    report["after_submit_seconds"] = _timed_view(client)
    first = tool.behaviors.order_by("order").values_list("id", flat=True)[0]
    _, report["amend_seconds"] = _timed(lambda: obs.amend(
        submitted, coach, {first: ("rated", 1)}, "Benchmark amendment."))
    report["after_amend_seconds"] = _timed_view(client)
    report["repeat_after_amend_seconds"] = _timed_view(client)
    return report


def populate_here(ratings: int) -> dict[str, Any]:
    """In the first child process: build the synthetic data."""
    began = time.perf_counter()
    tool = _populate(ratings)
    from practicehub.fidelity.models import DashboardAggregate, Rating
    from practicehub.fidelity.services import aggregates

    setup = round(time.perf_counter() - began, 1)
    _, fill = _timed(lambda: aggregates.rebuild(tool))  # what migration 0006 does for old data
    return {"ratings": Rating.objects.count(), "setup_seconds": setup,
            "aggregates_fill_seconds": fill,
            "aggregate_rows": DashboardAggregate.objects.filter(tool=tool).count()}


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _reset_peak() -> None:
    """Reset the kernel's peak resident size (VmHWM) so start-up does not count (Linux)."""
    Path("/proc/self/clear_refs").write_text("5")


def measure_here(approach: str) -> dict[str, Any]:
    """In a fresh child process per approach: wall-clock time and how far the peak resident
    memory (VmHWM, reset just before) rose above the resident size when the work started."""
    from practicehub.core.services import kept
    from practicehub.fidelity.demo import demo_tool

    kept.forget_everything()  # the bench's own data folder: each approach computes, none reads one
    tool = demo_tool()
    gc.collect()
    _reset_peak()
    before = _status_kb("VmRSS")
    began = time.perf_counter()
    groups = APPROACHES[approach](tool)
    seconds = time.perf_counter() - began
    grown_kb = max(0, _status_kb("VmHWM") - before)
    return {"seconds": round(seconds, 3), "peak_mb": round(grown_kb / 1024, 1),
            "groups": groups}


def _child(call: str, env: dict[str, str]) -> dict[str, Any]:
    code = ("import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'practicehub.settings'); django.setup(); "
            f"from practicehub.fidelity import bench; print(json.dumps(bench.{call}))")
    # Our own interpreter running our own code (``call`` is built here): nothing untrusted.
    done = subprocess.run([sys.executable, "-c", code], env=env,  # noqa: S603
                          capture_output=True, text=True, check=True)
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def run(options: dict[str, Any]) -> dict[str, Any]:
    """Build the data in one child process, then measure each approach in its own, all on a
    throw-away database in a temporary data folder (or the PostgreSQL ``database_url``);
    return the report."""
    ratings = int(options.get("ratings") or DEFAULT_RATINGS)
    url = str(options.get("database_url") or "")
    approaches = [a for a in APPROACHES if a != "plain_loop" or not options.get("without_loop")]
    with tempfile.TemporaryDirectory(prefix="practicehub-bench-") as folder:
        env = {**os.environ, "PRACTICEHUB_DATA_DIR": folder}
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        report = {"area": "fidelity", "database_engine": "postgresql" if url else "sqlite",
                  **_child(f"populate_here({ratings})", env)}
        for approach in approaches:
            report[approach] = _child(f"measure_here({approach!r})", env)
        report["page_view"] = _child("page_view_here()", env)
    database = report["database"]
    for approach in approaches[1:]:
        report[f"speedup_over_{approach}"] = round(
            report[approach]["seconds"] / max(database["seconds"], 1e-9), 1)
    if "plain_loop" in report:
        loop = report["plain_loop"]
        report["speedup"] = round(loop["seconds"] / max(database["seconds"], 1e-9), 1)
        report["memory_ratio"] = round(loop["peak_mb"] / max(database["peak_mb"], 0.1), 1)
    return report
