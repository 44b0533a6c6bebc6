"""``practicehub serve`` end to end, as a county runs it: gunicorn and the task worker as real
processes on a file database; a large web import runs in the worker, its progress and result
show on the job page, and stopping serve stops both."""

from __future__ import annotations

import ast
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from practicehub.fidelity.services.importing import CSV_FIELDS

SETUP = """
import django
django.setup()
from practicehub.fidelity.models import Setting
from practicehub.fidelity.services.observations import ToolSpec, create_tool
from practicehub.practice_model.services import find_version, load_shipped_models
from practicehub.testing.personas import make_personas
make_personas()
load_shipped_models()
version = find_version("cfpm")
behaviors = list(version.behavior_set.filter(behavior_set="practice").order_by("order")[:5])
tool = create_tool(ToolSpec(name="CFPM practice behaviors", version=version, scale="profile",
                            behaviors=behaviors, settings=[Setting.HOME_VISIT]))
print(tool.pk, ",".join(b.code for b in behaviors))
"""
ROWS = 2100  # over the default threshold of 2,000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> set[int]:
    found = set()
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat_file.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _practicehub(*args: str, env: dict[str, str]) -> list[str]:
    return [sys.executable, "-m", "practicehub.cli", *args]


@pytest.fixture
def site(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PRACTICEHUB_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'practicehub.sqlite3'}",
           "DJANGO_SETTINGS_MODULE": "practicehub.settings"}
    env.pop("IMPORT_BACKGROUND_ROWS", None)
    subprocess.run(_practicehub("migrate", "--no-input", env=env), env=env, check=True,
                   capture_output=True)
    made = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True,
                          capture_output=True, text=True).stdout.split()
    return {**env, "TOOL": made[-2], "CODES": made[-1]}


def _signed_in(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/")
    answer = session.post(f"{base}/accounts/login/", allow_redirects=False, data={
        "username": "fresno_coach", "password": "correct horse battery staple",
        "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert answer.status_code == 302, answer.text
    return session


def _file(codes: str) -> bytes:
    rows = [f"r{n},fresno_worker,fresno_coach,coach,2025-01-10,home_visit,,,3,3,3,2,NA"
            for n in range(ROWS)]
    return ("\n".join([",".join([*CSV_FIELDS, codes]), *rows]) + "\n").encode()


def _wait_until_serving(base: str, server: subprocess.Popen[bytes]) -> None:
    for _attempt in range(120):
        assert server.poll() is None, "serve exited"
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise AssertionError("serve did not answer")


def test_serve_runs_a_large_import_in_its_task_worker_and_stops_the_worker_with_it(
    site: dict[str, str], tmp_path: Path,
) -> None:
    base = f"http://127.0.0.1:{_free_port()}"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:  # a file, not a pipe: a full pipe would stall the server
        serve = subprocess.Popen(
            _practicehub("serve", "--bind", base.removeprefix("http://"), "--workers", "1",
                         env=site), env=site, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(base, serve)
        children = _children(serve.pid)
        assert len(children) == 2  # gunicorn and db_worker
        session = _signed_in(base)
        session.get(f"{base}/fidelity/observations/import/")
        upload = session.post(
            f"{base}/fidelity/observations/import/", allow_redirects=False,
            data={"tool": site["TOOL"], "file_format": "csv",
                  "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            files={"file": ("visits.csv", _file(site["CODES"]), "text/csv")})
        assert upload.status_code == 302, upload.text
        job_url = base + upload.headers["Location"]
        assert re.fullmatch(rf"{base}/jobs/\d+/", job_url)
        seen: list[str] = []
        for _poll in range(1200):
            seen.append(session.get(job_url, headers={"HX-Request": "true"}, timeout=30).text)
            if "every 2s" not in seen[-1]:
                break
            time.sleep(0.1)
        running = [poll for poll in seen if "<progress" in poll]
        assert running, "no progress was shown while the import ran"
        assert re.search(r"(Checking rows|Importing): [\d,]+ of 2,100", running[-1])
        page = session.get(job_url).text
        assert "Imported 2100 observations." in page
        assert "The first 100 of 2,100 are listed." in page
        assert len(re.findall(r'href="/fidelity/observations/\d+/"', page)) == 100
        listed = session.get(f"{base}/api/v1/fidelity/observations").json()
        assert len(listed["items"] if isinstance(listed, dict) else listed) > 0
        long_header = session.get(f"{base}/healthz", headers={"X-Long": "a" * 9000})
        assert long_header.status_code == 431  # gunicorn: request header fields too large
    finally:
        serve.send_signal(signal.SIGTERM)
        code = serve.wait(60)
    output = log.read_text()
    assert code == 0, output
    assert "Starting the task worker" in output
    assert not [pid for pid in children if _alive(pid)], "a child outlived serve"


def test_the_server_loads_every_view_before_its_first_request(tmp_path: Path) -> None:
    """gunicorn preloads wsgi.py, which imports every URLconf and view: the first request after a
    start does not wait for them (docs/configuration.md)."""
    from practicehub.core.services.serving import ServerOptions, server_command

    assert "--preload" in server_command(ServerOptions("127.0.0.1:0", 1, 1, 30))
    code = ("import sys, practicehub.wsgi; print(sorted(m for m in sys.modules "
            "if m.startswith('practicehub.') and m.endswith('.views')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "PRACTICEHUB_DATA_DIR": str(tmp_path)})
    loaded = set(ast.literal_eval(done.stdout.strip()))
    assert {"practicehub.fidelity.views", "practicehub.outcomes.views",
            "practicehub.implementation.views", "practicehub.assessments.views"} <= loaded
