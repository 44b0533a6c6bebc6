"""A file handed to a loader that is not UTF-8 text is named, with where it goes wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from practicehub.core.textfiles import UnreadableFile, read_text


def test_a_latin1_file_is_named_with_its_line_column_and_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "tree.yaml"
    path.write_bytes(b"nodes:\n  - code: ca\n    name: Caf\xe9\n")
    with pytest.raises(UnreadableFile) as raised:
        read_text(path)
    assert str(raised.value) == (
        f"{path}: cannot read the file: it is not UTF-8 text: byte 0xe9 at line 3, column 14 "
        "(byte offset 33) is not valid UTF-8; save it as UTF-8 text and try again")


def test_a_binary_file_is_called_binary(tmp_path: Path) -> None:
    path = tmp_path / "photo.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff")
    with pytest.raises(UnreadableFile, match=r"line 1, column 1 .*binary file"):
        read_text(path)


def test_a_missing_file_and_a_folder_are_named(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match=r"absent\.yaml: cannot read the file: there is no"):
        read_text(tmp_path / "absent.yaml")
    with pytest.raises(UnreadableFile, match="cannot read the file: it is a folder"):
        read_text(tmp_path)


def test_utf8_with_a_byte_order_mark_reads_as_text(tmp_path: Path) -> None:
    path = tmp_path / "tree.yaml"
    path.write_bytes("\ufeffname: Café\n".encode())
    assert read_text(path) == "name: Café\n"
