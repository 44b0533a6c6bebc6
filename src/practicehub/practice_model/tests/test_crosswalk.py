"""Crosswalk files: the happy path, every located error, reloading, and --replace."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practicehub.audit.models import AuditEvent
from practicehub.core.yamlfiles import DataFileError
from practicehub.practice_model.models import BehaviorLink, Crosswalk, ElementLink, ModelVersion
from practicehub.practice_model.services import load_model_text, start_draft
from practicehub.practice_model.services.crosswalk import Outcome, load_crosswalk_text
from practicehub.practice_model.tests.helpers import SMALL_MODEL, line_of, row_count

pytestmark = pytest.mark.django_db

# The "to" model: the small model with its own codes, so a code of the wrong side is caught.
OTHER_MODEL = (SMALL_MODEL.replace("key: small", "key: other").replace("EE-1", "X-1")
               .replace("PF-1", "X-2").replace("LB-1", "X-3").replace("inquiry", "explore"))

CROSSWALK = """\
format: 1
from: small@1
to: other@1
provenance: Our own reading, for testing.
elements:
  - code: inquiry
    relation: same
    to: [explore]
  - code: voice
    relation: none
    note: The other model has no voice element.
behaviors:
  - code: EE-1
    to:
      - {code: X-1, relation: narrower}
      - {code: X-2, relation: broader}
  - code: PF-1
    relation: same
    to: [X-2]
  - code: LB-1
    relation: none
"""


@pytest.fixture(autouse=True)
def models() -> None:
    load_model_text(SMALL_MODEL)
    load_model_text(OTHER_MODEL)


def problems_of(text: str) -> list[str]:
    """The problems of loading ``text``, checking that the database stays the same."""
    before = row_count()
    with pytest.raises(DataFileError) as caught:
        load_crosswalk_text(text, "cw.yaml")
    assert row_count() == before
    return [str(problem) for problem in caught.value.problems]


def test_a_crosswalk_loads_every_link_with_its_relation() -> None:
    result = load_crosswalk_text(CROSSWALK, "cw.yaml")
    assert result.outcome is Outcome.CREATED
    assert result.message == "Loaded crosswalk small@1 → other@1 (2 element and 4 behavior links)."
    crosswalk = Crosswalk.objects.get()
    assert (crosswalk.source.ref, crosswalk.target.ref) == ("small@1", "other@1")
    links = [(link.source.code, link.target.code if link.target else None, link.relation)
             for link in BehaviorLink.objects.order_by("order")]
    assert links == [("EE-1", "X-1", "narrower"), ("EE-1", "X-2", "broader"),
                     ("PF-1", "X-2", "same"), ("LB-1", None, "none")]
    voice = ElementLink.objects.get(source__code="voice")
    assert (voice.target, voice.relation, voice.note) == (
        None, "none", "The other model has no voice element.")
    assert AuditEvent.objects.filter(action="create", object_type__contains="crosswalk").exists()


def test_loading_the_same_file_again_changes_nothing() -> None:
    load_crosswalk_text(CROSSWALK, "cw.yaml")
    before = row_count()
    again = load_crosswalk_text(CROSSWALK, "cw.yaml")
    assert again.outcome is Outcome.UNCHANGED
    assert "already loaded with the same links; nothing changed" in again.message
    assert row_count() == before


def test_a_changed_file_is_refused_without_replace_and_replaces_with_it() -> None:
    load_crosswalk_text(CROSSWALK, "cw.yaml")
    changed = CROSSWALK.replace("    relation: same\n    to: [X-2]",
                                "    relation: narrower\n    to: [X-2]")
    problems = problems_of(changed)
    assert problems == [f"cw.yaml:{line_of(changed, 'from:')}: a crosswalk small@1 → other@1 is "
                        "already loaded with other links; load the file with --replace to "
                        "replace them"]
    assert BehaviorLink.objects.get(source__code="PF-1").relation == "same"
    result = load_crosswalk_text(changed, "cw.yaml", replace=True)
    assert result.outcome is Outcome.REPLACED
    assert BehaviorLink.objects.get(source__code="PF-1").relation == "narrower"
    assert Crosswalk.objects.count() == 1


def test_check_only_writes_nothing() -> None:
    before = row_count()
    result = load_crosswalk_text(CROSSWALK, "cw.yaml", check_only=True)
    assert result.outcome is Outcome.CHECKED
    assert row_count() == before


@pytest.mark.parametrize(("old", "new", "at", "message"), [
    ("from: small@1", "from: small@9", "from:",
     "from: no model version small@9 is loaded (loaded versions of small: 1)"),
    ("to: other@1", "to: nobody@1", "to:", "to: no model version nobody@1 is loaded"),
    ("    to: [explore]", "    to: [inquiry]", "to: [inquiry]",
     "element 'inquiry' maps to 'inquiry', which is not one of the elements of other@1"),
    ("  - code: PF-1\n", "  - code: PF-9\n", "code: PF-9",
     "behavior 'PF-9' is not in small@1"),
    ("      - {code: X-1, relation: narrower}", "      - {code: X-7, relation: narrower}",
     "X-7", "behavior 'EE-1' maps to 'X-7', which is not one of the behaviors of other@1"),
    ("  - code: LB-1\n    relation: none\n", "  - code: LB-1\n    relation: none\n    to: [X-3]\n",
     "to: [X-3]",
     "behavior 'LB-1' has relation none (no counterpart), so it cannot also list counterparts "
     "(X-3); drop 'to' or the relation none"),
    ("  - code: LB-1\n", "  - code: EE-1\n", "code: EE-1#2",
     "behavior 'EE-1' is used twice (first on line 13)"),
    ("    relation: same\n    to: [X-2]", "    to: [X-2]", "to: [X-2]",
     "behavior 'PF-1' → 'X-2' needs a relation (same, narrower or broader), on the target or "
     "on the entry"),
    ("    relation: same\n    to: [X-2]", "    relation: same", "code: PF-1",
     "behavior 'PF-1' lists no counterpart; give 'to', or relation: none to say that other@1 "
     "has none"),
    ("  - code: LB-1\n    relation: none\n", "", "behaviors:",
     "behaviors: every behavior of small@1 needs an entry (relation: none when it has no "
     "counterpart); missing: LB-1"),
    ("    relation: same\n    to: [X-2]", "    relation: similar\n    to: [X-2]",
     "relation: similar", "behaviors[PF-1].relation: must be one of same, narrower, broader, "
     "none, not the text 'similar'"),
    ("provenance:", "provenence:", "provenence:",
     "provenence: unknown field 'provenence' (did you mean 'provenance'?)"),
])
def test_each_problem_is_named_with_its_file_and_line(old: str, new: str, at: str,
                                                      message: str) -> None:
    assert old in CROSSWALK
    text = CROSSWALK.replace(old, new, 1)
    fragment, _, occurrence = at.partition("#")
    line = line_of(text, fragment, int(occurrence or 1))
    assert f"cw.yaml:{line}: {message}" in problems_of(text)


def test_a_draft_version_is_refused() -> None:
    start_draft(ModelVersion.objects.get(key="other"), "2")
    text = CROSSWALK.replace("to: other@1", "to: other@2")
    assert problems_of(text) == [f"cw.yaml:{line_of(text, 'to: other@2')}: to: other@2 is a "
                                 "draft; a crosswalk links published versions only"]


def test_the_command_checks_loads_and_refuses(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cw.yaml"
    path.write_text(CROSSWALK, encoding="utf-8")
    call_command("model", "crosswalk", str(path), "--check")
    assert "is fine (2 element and 4 behavior links); nothing was written" in \
        capsys.readouterr().out
    assert not Crosswalk.objects.exists()
    call_command("model", "crosswalk", str(path))
    assert "Loaded crosswalk small@1 → other@1" in capsys.readouterr().out
    path.write_text(CROSSWALK.replace("relation: same\n    to: [X-2]",
                                      "relation: broader\n    to: [X-2]"), encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem found; nothing was changed"):
        call_command("model", "crosswalk", str(path))
    assert f"{path}:2: a crosswalk small@1 → other@1 is already loaded" in capsys.readouterr().err
    call_command("model", "crosswalk", str(path), "--replace")
    assert "Replaced the links of crosswalk small@1 → other@1" in capsys.readouterr().out
