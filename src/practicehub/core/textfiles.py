"""Reading a text file someone hands the platform: a clear message instead of a traceback.

Every loader (organisation tree, practice models, instruments) reads its file through
``read_text``, so a file in another encoding, a binary file or a missing path is named the same
way everywhere: what is wrong and where, by line, column and byte offset.
"""

from __future__ import annotations

from pathlib import Path

from practicehub.core.errors import Located, Refused


class UnreadableFile(Refused):
    """The file cannot be read as UTF-8 text; ``reason`` says why and where, the message adds
    the file's path."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}", [Located(reason, source=str(path))])
        self.path = path
        self.reason = reason


def read_text(path: Path | str) -> str:
    """The file's text (UTF-8, with or without a byte-order mark), or UnreadableFile."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(path, "cannot read the file: there is no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(path, "cannot read the file: it is a folder") from None
    except OSError as error:
        raise UnreadableFile(path, f"cannot read the file: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(path, f"cannot read the file: it {describe_decode_error(data, error)}"
                             ) from None


def describe_decode_error(data: bytes, error: UnicodeDecodeError) -> str:
    """Where UTF-8 decoding failed, as a person opening the file in an editor would find it."""
    before = data[: error.start]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    byte = data[error.start: error.start + 1].hex()
    hint = ("it looks like a binary file" if b"\x00" in data[:4096]
            else "save it as UTF-8 text and try again")
    return (f"is not UTF-8 text: byte 0x{byte} at line {line}, column {column} "
            f"(byte offset {error.start}) is not valid UTF-8; {hint}")
