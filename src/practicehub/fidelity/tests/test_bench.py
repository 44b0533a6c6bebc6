"""The benchmark's report, measured on a tiny data set (the real run uses a million ratings)."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command


def test_bench_fidelity_reports_time_and_memory_of_each_approach_and_the_views() -> None:
    out = StringIO()
    call_command("bench", "fidelity", ratings=2000, stdout=out)
    report = json.loads(out.getvalue().split("\n", 1)[1])
    assert report["area"] == "fidelity"
    assert report["ratings"] >= 1900
    for approach in ("database", "recompute", "plain_loop"):
        assert set(report[approach]) == {"seconds", "peak_mb", "groups"}
    # The kept aggregates give as many groups as grouping every rating does.
    assert report["database"]["groups"] == report["recompute"]["groups"] > 0
    assert report["aggregate_rows"] > 0
    assert report["speedup"] > 0
    assert "memory_ratio" in report
    assert set(report["page_view"]) == {
        "first_seconds", "repeat_seconds", "submit_seconds", "after_submit_seconds",
        "amend_seconds", "after_amend_seconds", "repeat_after_amend_seconds"}
    assert all(seconds > 0 for seconds in report["page_view"].values())
