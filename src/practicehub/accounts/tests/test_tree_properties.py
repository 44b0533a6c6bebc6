"""Whatever tree file an administrator loads, it is applied whole or refused with every problem
named by file and entry; never an unexpected exception, never a partial write."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practicehub.accounts.models import OrgNode
from practicehub.accounts.services.tree import TreeFileError, load_tree, parse_tree

SOURCE = "tree.yaml"
SMALL_TREE = """format: practicehub.org-tree/1
nodes:
  - {code: ca, name: California, kind: state}
  - {code: rta-central, name: Central region, kind: region, parent: ca}
  - {code: fresno, name: Fresno County, kind: county, parent: rta-central, fips: "06019"}
  - {code: fresno-central, name: Fresno Central office, kind: office, parent: fresno}
  - {code: partners, name: Partners, kind: partner, parent: fresno, partner_kind: community}
"""
LINES = SMALL_TREE.splitlines(keepends=True)
# YAML that reads as something other than text: dates (some impossible), numbers, nulls,
# nesting, anchors, tags, very long and non-ASCII values.
JUNK = ["  ", "- ", ": ", "[", "{", "}", "&a ", "*a ", "!!int ", "!!binary ", "\t", "yes", "~",
        "2025-13-45", "2025-02-30", "0x1f", "1e999", ".nan", "null", "[[[[", "{a: {b: [c]}}",
        "code: " + "x" * 100, "name: " + "ü" * 300, "fips: 6019", "kind: planet",
        "parent: fresno", "parent: [ca]", "code: {a: 1}", "\ufeff", "\x00", "\x85", "%YAML 1.1\n"]
SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def _snapshot() -> list[tuple[str, str, str, int | None, str, str, str]]:
    return list(OrgNode.objects.order_by("code").values_list(
        "code", "name", "kind", "parent_id", "fips", "partner_kind", "path"))


def _errors_of(path: Path) -> list[str] | None:
    """The refusal's errors, or None when the tree loaded."""
    try:
        load_tree(path)
    except TreeFileError as refused:
        return refused.errors
    return None


def _load(text: str, folder: Path) -> None:
    """Load ``text`` as a file; a refusal must name the file and change nothing."""
    path = folder / SOURCE
    path.write_text(text, encoding="utf-8")
    before = _snapshot()
    errors = _errors_of(path)
    if errors is not None:
        assert errors
        assert all(error.startswith(str(path)) for error in errors), errors
        assert _snapshot() == before, "a refused tree changed the organisation"
        return
    loaded = {spec.code for spec in parse_tree(text, SOURCE)}
    assert loaded <= {node.code for node in OrgNode.objects.all()}


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_is_loaded_or_refused_naming_the_file(text: str, db: None,
                                                       tmp_path: Path) -> None:
    _load(text, tmp_path)


@SETTINGS
@given(gone=st.sets(st.integers(0, len(LINES) - 1), min_size=1, max_size=3))
def test_a_tree_with_lines_removed_is_loaded_or_refused(gone: set[int], db: None,
                                                         tmp_path: Path) -> None:
    _load("".join(line for n, line in enumerate(LINES) if n not in gone), tmp_path)


@SETTINGS
@given(line=st.integers(0, len(LINES)), column=st.integers(0, 40), junk=st.sampled_from(JUNK))
def test_a_tree_with_junk_inserted_is_loaded_or_refused(line: int, column: int, junk: str,
                                                        db: None, tmp_path: Path) -> None:
    lines = [*LINES, ""]
    lines[line] = lines[line][:column] + junk + lines[line][column:]
    _load("".join(lines), tmp_path)


def test_an_impossible_date_is_refused_with_its_entry(db: None, tmp_path: Path) -> None:
    path = tmp_path / SOURCE
    path.write_text(SMALL_TREE.replace("name: Fresno County", "name: 2025-13-45"))
    assert _errors_of(path) == [f"{path}:5: cannot read this value: '2025-13-45' is not a "
                                "valid timestamp (month must be in 1..12)"]
    assert not OrgNode.objects.exists()


def test_a_name_longer_than_200_characters_is_refused_with_its_entry(
    db: None, tmp_path: Path,
) -> None:
    path = tmp_path / SOURCE
    path.write_text(SMALL_TREE.replace("name: Fresno County", "name: " + "F" * 201))
    assert _errors_of(path) == [f"{path}: nodes[2] (code 'fresno'): name is longer than "
                                "200 characters"]
    assert not OrgNode.objects.exists()
