from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from practicehub.practice_model.services import (
    diff_specs,
    format_changes,
    load_model_text,
    parse_model_text,
)
from practicehub.practice_model.services.diff import Change, Kind
from practicehub.practice_model.tests.helpers import SMALL_MODEL

EDITED = (
    SMALL_MODEL.replace('version: "1"', 'version: "2"')
    .replace("Asks about strengths first.", "Asks about strengths and hopes first.")
    .replace("  - code: LB-1\n    set: leadership\n    text: Models the practice.\n"
             "    wording: local\n", "")
    .replace("systemic_issues:", "  - code: supervision\n    name: Supervision\n"
             "systemic_issues:")
)


def test_equal_versions_show_no_differences() -> None:
    spec = parse_model_text(SMALL_MODEL, "a.yaml").spec
    assert format_changes(diff_specs(spec, spec)) == "No differences.\n"


def test_the_diff_lists_additions_removals_and_changed_fields_by_section_and_code() -> None:
    a = parse_model_text(SMALL_MODEL, "a.yaml").spec
    b = parse_model_text(EDITED, "b.yaml").spec
    assert diff_specs(a, b) == [
        Change("model", "", Kind.CHANGED, "version", "1", "2"),
        Change("behaviors", "LB-1", Kind.REMOVED),
        Change("behaviors", "EE-1", Kind.CHANGED, "text", "Asks about strengths first.",
               "Asks about strengths and hopes first."),
        Change("capacity_areas", "supervision", Kind.ADDED),
    ]


def test_the_diff_reads_as_sections_of_added_removed_and_changed_entries() -> None:
    a = parse_model_text(SMALL_MODEL, "a.yaml").spec
    b = parse_model_text(EDITED, "b.yaml").spec
    assert format_changes(diff_specs(a, b)) == (
        "model:\n"
        "  changed version\n"
        "    - 1\n"
        "    + 2\n"
        "behaviors:\n"
        "  removed LB-1\n"
        "  changed EE-1 text\n"
        "    - Asks about strengths first.\n"
        "    + Asks about strengths and hopes first.\n"
        "capacity_areas:\n"
        "  added supervision\n"
    )


@pytest.mark.django_db
def test_the_diff_command_compares_a_stored_version_with_a_file(tmp_path: Path) -> None:
    load_model_text(SMALL_MODEL)
    edited = tmp_path / "edited.yaml"
    edited.write_text(EDITED, encoding="utf-8")
    out = io.StringIO()
    call_command("model", "diff", "small@1", str(edited), stdout=out)
    assert "  changed EE-1 text\n" in out.getvalue()
    same = io.StringIO()
    call_command("model", "diff", "small@1", "small@1", stdout=same)
    assert same.getvalue() == "No differences.\n"
