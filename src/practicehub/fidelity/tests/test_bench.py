"""The benchmark's report, measured on a tiny data set (the real run uses a million ratings)."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command


def test_bench_fidelity_reports_time_and_memory_of_both_approaches() -> None:
    out = StringIO()
    call_command("bench", "fidelity", ratings=2000, stdout=out)
    report = json.loads(out.getvalue().split("\n", 1)[1])
    assert report["area"] == "fidelity"
    assert report["ratings"] >= 1900
    for approach in ("database", "plain_loop"):
        assert set(report[approach]) == {"seconds", "peak_mb", "groups"}
    assert report["speedup"] > 0
    assert "memory_ratio" in report
    assert set(report["page_view"]) == {"first_seconds", "repeat_seconds"}
