"""``practicehub bench web`` on a real server for a few seconds: the report's shape, no errors."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command


def test_bench_web_signs_in_two_users_walks_their_pages_and_reports_no_errors(
    tmp_path: Path,
) -> None:
    out = StringIO()
    call_command("bench", "web", users=2, seconds=4, max_requests=400,
                 results_dir=str(tmp_path), stdout=out)
    text = out.getvalue()
    report = json.loads(next(tmp_path.glob("web-sqlite-*.json")).read_text())
    assert report["area"] == "web"
    assert report["users"] == 2
    assert report["database"] == "sqlite"
    assert report["errors"] == 0, report["error_samples"]
    assert 4 <= report["requests"] <= 400
    assert report["requests_per_second"] > 0
    assert report["sign_in"]["sign-in"]["requests"] == 2
    assert "/" in report["pages"]
    for row in [*report["pages"].values(), *report["sign_in"].values()]:
        assert set(row) == {"requests", "errors", "p50_ms", "p95_ms", "p99_ms"}
        assert row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
    assert "requests/s; 0 errors" in text
    assert f"Report written to {tmp_path}" in text
