from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practicehub.assessments.models import Instrument
from practicehub.practice_model.services import load_shipped_models


def test_the_command_loads_the_shipped_instruments(db: None) -> None:
    load_shipped_models()
    out = io.StringIO()
    call_command("instrument", "load", "--shipped", stdout=out)
    assert "Loaded drivers-capacity 2026.1" in out.getvalue()
    assert Instrument.objects.count() == 5


def test_a_broken_file_lists_its_problems_and_changes_nothing(db: None, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: practicehub.instrument/1\nkey: Bad Key\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="problems found; nothing was changed"):
        call_command("instrument", "load", str(broken), stderr=err)
    assert f"{broken}:2: key: 'Bad Key' is not valid here" in err.getvalue()
    assert not Instrument.objects.exists()
