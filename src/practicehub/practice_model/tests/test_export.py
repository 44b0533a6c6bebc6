from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practicehub.practice_model.services import (
    VersionNotFound,
    export_version,
    find_version,
    load_model_text,
    load_shipped_models,
    read_spec,
)
from practicehub.practice_model.tests.helpers import SMALL_MODEL

pytestmark = pytest.mark.django_db


def test_a_yaml_export_loaded_under_a_new_version_has_the_same_content() -> None:
    load_shipped_models()
    original = find_version("cfpm@2026.1")
    exported = export_version(original, "yaml")
    assert "version: '2026.1'\n" in exported
    copy = load_model_text(exported.replace("version: '2026.1'", "version: '2026.2'")).version
    assert read_spec(copy) == replace(read_spec(original), version="2026.2")


def test_a_json_export_holds_the_same_data_as_the_yaml_one() -> None:
    version = load_model_text(SMALL_MODEL).version
    data = json.loads(export_version(version, "json"))
    assert data["key"] == "small"
    assert [b["code"] for b in data["behaviors"]] == ["EE-1", "PF-1", "LB-1"]
    copy = load_model_text(json.dumps(data | {"version": "2"})).version
    assert read_spec(copy) == replace(read_spec(version), version="2")


def test_the_csv_export_has_a_row_per_behavior_and_a_column_per_profile_level() -> None:
    version = load_model_text(SMALL_MODEL).version
    rows = list(csv.reader(io.StringIO(export_version(version, "csv"))))
    assert rows[0] == ["code", "set", "practice", "element", "text", "wording", "High", "Low"]
    assert rows[1] == ["EE-1", "practice", "Exploration", "Inquiry",
                       "Asks about strengths first.", "local", "Always asks.", "Never asks."]
    assert rows[3] == ["LB-1", "leadership", "", "", "Models the practice.", "local", "", ""]
    assert len(rows) == 4


def test_a_bare_key_exports_the_latest_published_version() -> None:
    load_model_text(SMALL_MODEL)
    load_model_text(SMALL_MODEL.replace('version: "1"', 'version: "2"'))
    load_model_text(SMALL_MODEL.replace('version: "1"', 'version: "3"')
                    .replace("status: published", "status: draft"))
    assert find_version("small").label == "2"
    assert find_version("small@3").label == "3"


def test_an_unknown_version_is_named_with_the_versions_that_exist() -> None:
    load_model_text(SMALL_MODEL)
    with pytest.raises(VersionNotFound, match="no version 9 of small; stored versions: small@1"):
        find_version("small@9")


def test_the_export_command_writes_the_chosen_format_to_a_file(tmp_path: Path) -> None:
    load_model_text(SMALL_MODEL)
    out = tmp_path / "small.csv"
    call_command("model", "export", "small@1", "--format", "csv", "--out", str(out),
                 stdout=io.StringIO())
    assert out.read_text(encoding="utf-8").startswith("code,set,practice,element,text")


def test_the_export_command_fails_on_an_unknown_model() -> None:
    with pytest.raises(CommandError, match="no model with key 'nothing' is loaded"):
        call_command("model", "export", "nothing", stdout=io.StringIO())


def test_the_csv_export_is_written_by_the_shared_table_writer() -> None:
    version = load_model_text(SMALL_MODEL.replace("Asks about strengths first.",
                                                  "=Asks about strengths first.")).version
    text = export_version(version, "csv")
    assert text.startswith("code,set,practice,element,text,wording,High,Low\r\n")
    assert "'=Asks about strengths first." in text  # a spreadsheet would run it otherwise
