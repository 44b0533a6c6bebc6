"""Static files as docs/deploy.md serves them: once `practicehub collectstatic` has run, pages link
hashed names that WhiteNoise answers compressed with a ten-year cache lifetime; before that (a
checkout, the demo) the apps' own files are served as they are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Signs in nobody: the sign-in page and the stylesheet it links, as a browser would ask for them.
_FETCH = """
import json
import django
django.setup()
from django.test import Client
client = Client()
page = client.get("/accounts/login/").content.decode()
start = page.index('href="/static/core/practicehub')
url = page[start + 6:page.index('"', start + 6)]
answer = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
body = b"".join(answer.streaming_content)
print(json.dumps({"url": url, "status": answer.status_code, "bytes": len(body),
                  "cache": answer.get("Cache-Control"), "encoding": answer.get("Content-Encoding"),
                  "vary": answer.get("Vary")}))
"""


def _run(data_dir: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DATABASE_URL", "DEBUG"}}
    environment.update(PRACTICEHUB_DATA_DIR=str(data_dir),
                       DJANGO_SETTINGS_MODULE="practicehub.settings")
    return subprocess.run([sys.executable, *arguments], env=environment, capture_output=True,
                          text=True, check=False, timeout=300)


def _stylesheet(data_dir: Path) -> dict[str, object]:
    done = _run(data_dir, "-c", _FETCH)
    assert done.returncode == 0, done.stderr[-3000:]
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("collected") / "data"
    done = _run(data_dir, "-m", "practicehub.cli", "collectstatic", "--noinput")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "static files copied" in done.stdout
    return data_dir


def test_collected_pages_link_a_hashed_stylesheet_served_compressed_for_ten_years(
    collected: Path,
) -> None:
    answer = _stylesheet(collected)
    assert answer["url"] != "/static/core/practicehub.css"
    assert str(answer["url"]).startswith("/static/core/practicehub.")
    assert answer["status"] == 200
    assert answer["cache"] == "max-age=315360000, public, immutable"
    assert answer["encoding"] == "gzip"
    assert answer["vary"] == "Accept-Encoding"
    plain = next((collected / "static" / "core").glob("practicehub.*.css"))
    assert (plain.parent / f"{plain.name}.gz").is_file()
    # The 527 KB stylesheet travels compressed: well under half its size.
    assert int(str(answer["bytes"])) < plain.stat().st_size / 2


def test_before_collectstatic_the_apps_own_files_are_served_as_they_are(tmp_path: Path) -> None:
    answer = _stylesheet(tmp_path / "data")
    assert answer["url"] == "/static/core/practicehub.css"
    assert answer["status"] == 200
    assert answer["cache"] == "max-age=60, public"
