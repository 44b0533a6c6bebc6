"""``practicehub bench web``: many signed-in demo users walking their pages on a real server.

The demo is built in a throw-away data folder (or the one ``--data-dir`` names, kept), on SQLite
or on the PostgreSQL database ``--database-url`` names; then ``practicehub serve`` (gunicorn, as
in production) starts on a free port of 127.0.0.1 and ``--users`` threads, each a demo person
(the roles in turn), sign in all at once (timed apart: a sign-in hashes the password, which is
slow on purpose), then walk their main pages and the API routes of the demo,
until ``--seconds`` pass or ``--max-requests`` are sent. Before the clock starts, the first
user of each role opens each of its routes once (a server that has been up a while has its
caches filled; ``--cold`` skips this). The report gives requests per second,
the 50th/95th/99th percentile time of each page and every error (a non-200 answer or a failed
request); it is printed as a table and written to ``benchmarks/results/`` as JSON.

Traffic goes only to the server this command started on the loopback address, and stops by
itself: the walk is bounded in time and in requests.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

AREA = "web"  # the sub-command's name: ``practicehub bench web``
REPO = Path(__file__).resolve().parents[3]
DEFAULT_USERS = 30
DEFAULT_SECONDS = 30.0
DEFAULT_MAX_REQUESTS = 50_000
START_TIMEOUT = 180.0  # seconds the server may take to answer its first request
REQUEST_TIMEOUT = 60.0  # seconds one request may take before it counts as an error
SIGN_IN_TIMEOUT = 300.0  # seconds every user together may take to sign in before the walk
# Extra pages walked when the person may open them (beyond home, tasks and navigation).
EXTRA_PAGES = ("fidelity:observations", "fidelity:plans", "fidelity:outcomes",
               "outcomes:disparities", "outcomes:time_to_permanency", "outcomes:long_stays")
NOT_WALKED = ("/accounts/logout", "/export", "/new/", "/import")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
Row = dict[str, Any]


def add_arguments(parser: Any) -> None:
    parser.add_argument("--users", type=int, default=DEFAULT_USERS,
                        help="Concurrent signed-in users (default %(default)s).")
    parser.add_argument("--seconds", type=float, default=DEFAULT_SECONDS,
                        help="How long the users walk (default %(default)s).")
    parser.add_argument("--max-requests", type=int, default=DEFAULT_MAX_REQUESTS,
                        help="Stop after this many requests in all (default %(default)s).")
    parser.add_argument("--database-url", default="",
                        help="Build the demo in this (existing, empty or demo) database, e.g. "
                             "postgres://postgres@127.0.0.1:5432/ph_bench; SQLite by default.")
    parser.add_argument("--data-dir", default="",
                        help="Data folder to build the demo in and keep (reused when run "
                             "again); a throw-away folder by default.")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn worker processes (default: practicehub serve's).")
    parser.add_argument("--threads", type=int, default=None,
                        help="Threads per gunicorn worker (default: practicehub serve's).")
    parser.add_argument("--cold", action="store_true",
                        help="Measure from a cold server: no warm-up pass (by default the first "
                             "user of each role opens each of its routes once before the clock "
                             "starts).")
    parser.add_argument("--results-dir", default=None,
                        help="Where to write the JSON report (default benchmarks/results/).")


# --- in a child process with the bench's environment: what each demo person walks -----------


def discover_here() -> list[Row]:
    """Every demo person's pages (home, task cards, navigation, a few list pages) and the API
    routes with the parameters the demo data need."""
    from django.urls import resolve, reverse

    from practicehub.accounts.demo import DEMO_LOGINS
    from practicehub.accounts.models import User
    from practicehub.fidelity.demo import demo_tool
    from practicehub.fidelity.services.dashboards import places_of
    from practicehub.outcomes.services import dashboard_data, dashboard_periods
    from practicehub.site.navigation import may_open, nav_for
    from practicehub.site.services.home import tasks_for

    with dashboard_data.opened() as data:
        as_of = dashboard_data.as_of_date(data) if data is not None else None
    period = dashboard_periods.default_period(as_of or datetime.now(UTC).date())
    span = f"{period.start.isoformat()}:{period.end.isoformat()}"
    tool = demo_tool()
    walks = []
    for login in DEMO_LOGINS:
        user = User.objects.get(username=login.username)
        # The widest place whose fidelity scores the person may see (a partner's: the site its
        # organisation is invited to, not the organisation itself).
        place = places_of(user).order_by("depth", "path").first()
        pages = ["/", *(task.href() for task in tasks_for(user)),
                 *(item.href() for item in nav_for(user)),
                 *(reverse(name) for name in EXTRA_PAGES if may_open(user, name))]
        pages = [page for page in dict.fromkeys(pages)
                 if not any(part in page for part in NOT_WALKED)]
        api = ["/api/v1/accounts/me", "/api/v1/accounts/nodes", "/api/v1/fidelity/observations",
               *([f"/api/v1/fidelity/scores?tool_id={tool.pk}&node={place.code}&by=month"]
                 if place else []),
               "/api/v1/implementation/plans", "/api/v1/assessments/administrations",
               f"/api/v1/outcomes/measures?period={span}&by=county",
               f"/api/v1/outcomes/counts?period={span}&by=county",
               f"/api/v1/outcomes/time-to-permanency?period={span}"]
        # Only the routes the person's roles answer (the others refuse, rightly, with 403).
        api = [route for route in api if may_open(user, resolve(route.split("?")[0]).view_name)]
        walks.append({"username": login.username, "role": login.role.value,
                      "pages": pages, "api": api})
    return walks


def _child(call: str, env: dict[str, str]) -> Any:
    code = ("import django, json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'practicehub.settings'); django.setup(); "
            f"from practicehub.site import bench; print(json.dumps(bench.{call}))")
    # Our own interpreter running our own code (``call`` is built here): nothing untrusted.
    done = subprocess.run([sys.executable, "-c", code], env=env,  # noqa: S603
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{call} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _practicehub(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        done = subprocess.run([sys.executable, "-m", "practicehub.cli", *args],  # noqa: S603
                              env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"practicehub {' '.join(args)} failed (exit {done.returncode}):\n"
                           f"{tail}")


# --- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(env: dict[str, str], port: int, options: Row,
                 log: Path) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "practicehub.cli", "serve", "--no-worker",
            "--bind", f"127.0.0.1:{port}"]
    for name in ("workers", "threads"):
        if options.get(name):
            args += [f"--{name}", str(options[name])]
    with log.open("ab") as out:
        # Our own interpreter and arguments; its own process group so it is stopped as a whole.
        server = subprocess.Popen(args, env=env, stdout=out,  # noqa: S603
                                  stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The server stopped (exit {server.returncode}); see {log}.")
        with suppress(requests.RequestException):
            if requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).ok:
                return server
        time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"The server did not answer within {START_TIMEOUT:.0f} s; see {log}.")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # serve stops gunicorn and waits for it
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- the users ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """Every request's page, time and outcome, shared by the user threads."""

    budget: int
    deadline: float = float("inf")
    started: float = 0.0
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[Row] = field(default_factory=list)
    signed_in: dict[str, list[float]] = field(default_factory=dict)
    sign_in_errors: list[Row] = field(default_factory=list)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> bool:
        """One more request of the walk may go (within the time and the request budget)."""
        with self.lock:
            if self.sent >= self.budget or time.monotonic() >= self.deadline:
                return False
            self.sent += 1
            return True

    def start(self, seconds: float) -> None:
        """Every user has signed in: the walk's clock starts (its sign-ins are kept apart)."""
        with self.lock:
            self.signed_in, self.times = self.times, {}
            self.sign_in_errors, self.errors = self.errors, []
            self.started = time.monotonic()
            self.deadline = self.started + seconds

    def record(self, page: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.times.setdefault(page, []).append(seconds)
            if error:
                self.errors.append({"page": page, "error": error})


def _timed(tally: Tally, page: str, send: Any) -> requests.Response | None:
    began = time.perf_counter()
    try:
        response: requests.Response = send()
    except requests.RequestException as error:
        tally.record(page, time.perf_counter() - began, f"{type(error).__name__}: {error}")
        return None
    seconds = time.perf_counter() - began
    final = response.history[0].status_code if response.history else response.status_code
    wrong = "" if response.status_code == 200 else f"HTTP {response.status_code}"
    if page == "sign-in" and final != 302:
        wrong = f"sign-in answered {final}, not a redirect (wrong password or locked out?)"
    tally.record(page, seconds, wrong)
    return response


def sign_in(base: str, person: Row, password: str, tally: Tally) -> requests.Session | None:
    """A session signed in as ``person`` (both requests timed), or None when that failed."""
    session = requests.Session()
    login = f"{base}/accounts/login/"
    form = _timed(tally, "sign-in page", lambda: session.get(login, timeout=REQUEST_TIMEOUT))
    token = CSRF_FIELD.search(form.text) if form is not None else None
    if token is None:
        return None
    data = {"username": person["username"], "password": password,
            "csrfmiddlewaretoken": token.group(1)}
    answer = _timed(tally, "sign-in", lambda: session.post(
        login, data=data, timeout=REQUEST_TIMEOUT, headers={"Referer": login}))
    return session if answer is not None and answer.history else None


def walk(base: str, person: Row, password: str, tally: Tally, offset: int,
         ready: threading.Barrier, warm: bool) -> None:
    """One user: sign in (the first user of each role, with ``warm``, then opens each of its
    routes once, as on a server that has been up a while), wait until every user has, then open
    the person's pages and API routes in turn until the time or the request budget is spent."""
    session = sign_in(base, person, password, tally)
    if session is not None and warm:
        for route in [*person["pages"], *person["api"]]:
            _timed(tally, "(warm-up)", lambda route=route: session.get(
                base + route, timeout=REQUEST_TIMEOUT))
    with suppress(threading.BrokenBarrierError):
        ready.wait(SIGN_IN_TIMEOUT)
    if session is None:
        return
    routes = [*person["pages"], *person["api"]]
    step = offset
    while tally.take():
        route = routes[step % len(routes)]
        step += 1
        _timed(tally, route.split("?")[0],
               lambda route=route: session.get(base + route, timeout=REQUEST_TIMEOUT))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def _times(times: dict[str, list[float]], errors: list[Row]) -> dict[str, Row]:
    return {page: {"requests": len(found), "errors": sum(e["page"] == page for e in errors),
                   "p50_ms": round(percentile(found, .50) * 1000, 1),
                   "p95_ms": round(percentile(found, .95) * 1000, 1),
                   "p99_ms": round(percentile(found, .99) * 1000, 1)}
            for page, found in sorted(times.items())}


def summary(tally: Tally, seconds: float) -> Row:
    """The walk's totals and pages; the sign-ins (before the walk's clock started) apart."""
    every = [value for times in tally.times.values() for value in times]
    return {"requests": len(every), "seconds": round(seconds, 1),
            "requests_per_second": round(len(every) / max(seconds, 1e-9), 1),
            "p50_ms": round(percentile(every, .50) * 1000, 1) if every else None,
            "p95_ms": round(percentile(every, .95) * 1000, 1) if every else None,
            "p99_ms": round(percentile(every, .99) * 1000, 1) if every else None,
            "errors": len(tally.errors) + len(tally.sign_in_errors),
            "error_samples": (tally.sign_in_errors + tally.errors)[:20],
            "sign_in": _times(tally.signed_in, tally.sign_in_errors),
            "pages": _times(tally.times, tally.errors)}


def load(base: str, walks: list[Row], password: str, users: int, seconds: float,
         max_requests: int, warm: bool = True) -> Row:
    """``users`` threads sign in (all at once), then walk for ``seconds``."""
    tally = Tally(budget=max_requests)
    ready = threading.Barrier(users, action=lambda: tally.start(seconds))
    threads = [threading.Thread(target=walk, args=(base, walks[n % len(walks)], password, tally,
                                                   n // len(walks), ready,
                                                   warm and n < len(walks)), daemon=True)
               for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SIGN_IN_TIMEOUT + seconds + REQUEST_TIMEOUT + 5)
    if not tally.started:  # the sign-ins never all finished: report them as they stand
        tally.start(0)
    return summary(tally, time.monotonic() - tally.started)


# --- the command -------------------------------------------------------------------------------


def _commit() -> str:
    with suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],  # noqa: S603,S607
                              capture_output=True, text=True, check=False)
        return done.stdout.strip()
    return ""


def _vendor(url: str) -> str:
    return "postgresql" if url.startswith(("postgres", "pgsql")) else "sqlite"


def run(options: Row) -> Row:
    """Build the demo, serve it, let the users walk, stop the server; return the report."""
    from practicehub.accounts.demo import DEMO_PASSWORD

    users, seconds = int(options.get("users") or DEFAULT_USERS), float(
        options.get("seconds") or DEFAULT_SECONDS)
    if users < 1 or seconds <= 0:
        raise ValueError("--users must be at least 1 and --seconds more than 0.")
    url = str(options.get("database_url") or "")
    kept = str(options.get("data_dir") or "")
    with tempfile.TemporaryDirectory(prefix="practicehub-bench-web-") as scratch:
        folder = Path(kept or scratch).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PRACTICEHUB_DATA_DIR": str(folder), "DEBUG": "false"}
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        log = folder / "bench-web.log"
        built = time.perf_counter()
        # Built as a demo installation (the demo refuses DEBUG off), served with DEBUG off.
        _practicehub(["demo", "--no-serve"], {**env, "DEBUG": "true"}, log)
        build_seconds = time.perf_counter() - built
        walks: list[Row] = _child("discover_here()", env)
        port = free_port()
        started = time.perf_counter()
        server = start_server(env, port, options, log)
        start_seconds = time.perf_counter() - started
        try:
            result = load(f"http://127.0.0.1:{port}", walks, DEMO_PASSWORD, users, seconds,
                          int(options.get("max_requests") or DEFAULT_MAX_REQUESTS),
                          warm=not options.get("cold"))
        finally:
            stop_server(server)
    report: Row = {
        "area": "web", "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(), "cpus": os.cpu_count(), "database": _vendor(url),
        "users": users, "planned_seconds": seconds, "warmed_up": not options.get("cold"),
        "server": {"workers": options.get("workers") or "serve's default",
                   "threads": options.get("threads") or "serve's default",
                   "conn_max_age": os.environ.get("DATABASE_CONN_MAX_AGE", "settings default")},
        "demo_build_seconds": round(build_seconds, 1),
        "server_start_seconds": round(start_seconds, 1),
        "roles": [walk["username"] for walk in walks], **result}
    results_dir = Path(options.get("results_dir") or REPO / "benchmarks" / "results")
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results_dir / f"web-{report['database']}-{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    report["results_file"] = str(path)
    return report


def render(report: Row) -> str:
    """The report as a table: every page's requests, errors and percentiles, the totals, then
    the sign-ins (done by every user at once before the walk's clock started)."""
    rows = {**report["pages"]}
    width = max([len(page) for page in rows] + [len(p) + 19 for p in report["sign_in"]] + [24])
    lines = [f"{report['users']} signed-in users for {report['seconds']} s on "
             f"{report['database']}, {report['cpus']} CPUs, commit {report['commit'] or '?'}",
             f"{'page':<{width}} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} "
             f"{'p99 ms':>8}"]

    def line(page: str, row: Row) -> str:
        return (f"{page:<{width}} {row['requests']:>8} {row['errors']:>6} "
                f"{row['p50_ms']!s:>8} {row['p95_ms']!s:>8} {row['p99_ms']!s:>8}")

    lines += [line(page, row) for page, row in rows.items()]
    lines.append(line("all pages", {**report, "errors": report["errors"]}))
    lines += [line(f"({page}, before the walk)", row) for page, row in report["sign_in"].items()]
    lines.append(f"{report['requests_per_second']} requests/s; {report['errors']} errors")
    lines += [f"  {error['page']}: {error['error']}" for error in report["error_samples"][:5]]
    lines.append(f"Report written to {report['results_file']}")
    return "\n".join(lines)
