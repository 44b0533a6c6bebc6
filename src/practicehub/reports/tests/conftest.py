"""Outcome data for the System Improvement Plan and data pack tests: 4,000 synthetic episodes,
nearly all in Fresno (so its groups have figures), imported once per session."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.data.synthetic_population import Sites
from practicehub.outcomes.engine.counties import COUNTIES
from practicehub.outcomes.engine.periods import Period

FRESNO = "06019"


@pytest.fixture(scope="session")
def sip_outcomes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sip-outcomes")
    scale = {code: 0.02 for code, _, _ in COUNTIES} | {FRESNO: 1.0}
    synthetic.generate(folder / "source", 4000, seed=11, sites=Sites(scale=scale))
    store.import_directory(folder / "source", folder / store.DATABASE_NAME)
    return folder


@pytest.fixture
def outcomes_dir(sip_outcomes: Path, settings: Any) -> Path:
    settings.OUTCOMES_DIR = sip_outcomes
    return sip_outcomes


def compute_cli(period: Period, folder: Path, measures: str, by: str = "",
                suppress: bool = False) -> list[dict[str, Any]]:
    """``practicehub outcomes compute`` for the period, as JSON rows."""
    out = folder / "cli.json"
    arguments = ["outcomes", "compute", "--period",
                 f"{period.start.isoformat()}:{period.end.isoformat()}", "--measures", measures,
                 "--format", "json", "--out", str(out)]
    if by:
        arguments += ["--by", by]
    if not suppress:
        arguments.append("--no-suppress")
    call_command(*arguments)
    found = json.loads(out.read_text())
    return list(found["rows"] if isinstance(found, dict) else found)
