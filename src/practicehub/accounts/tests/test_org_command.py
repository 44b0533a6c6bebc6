"""`practicehub org load` on a file it cannot read says what is wrong and where; loads nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practicehub.accounts.models import OrgNode


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_named_with_its_line_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "tree.yaml"
    path.write_bytes(b"nodes:\n  - code: ca\n    name: Caf\xe9\n    kind: state\n")
    errors = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("org", "load", str(path), stderr=errors)
    assert (f"{path}: cannot read the file: it is not UTF-8 text: byte 0xe9 at line 3, "
            "column 14 (byte offset 33)") in errors.getvalue()
    assert not OrgNode.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_named(tmp_path: Path) -> None:
    errors = StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("org", "load", str(tmp_path / "absent.yaml"), stderr=errors)
    absent = tmp_path / "absent.yaml"
    assert f"{absent}: cannot read the file: there is no such file" in errors.getvalue()
