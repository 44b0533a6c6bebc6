"""The documented commands run as documented (docs/contributing.md#commands-in-the-docs-are-tested).

A fenced block whose info string is ``sh test`` is run: each line starting with ``$ `` is a
command, run by bash in the document's own temporary folder with ``practicehub`` on the PATH and
``PRACTICEHUB_DATA_DIR`` in that folder; it must exit 0, and each line after it (up to the next
command) must appear in what it printed. A block whose info string is ``<language> file=PATH`` is
written to PATH before the document's commands run. Paths under ``/etc/practicehub/`` and
``/srv/practicehub/`` stand for folders of the temporary folder. The blocks of a document run in
order, so a later block sees the files an earlier one made.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
# Documents whose commands must be tested: a block lost in an edit fails here.
MUST_HAVE_TESTED_COMMANDS = ("README.md", "docs/deploy.md", "docs/outcomes.md")
STAND_INS = ("/etc/practicehub/", "/srv/practicehub/")
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,})(?P<info>[^`]*)$")
# The test session's own settings, which a reader's shell would not have.
_SESSION_ONLY = frozenset({"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "SECRET_KEY",
                           "DJANGO_ALLOW_ASYNC_UNSAFE", "PRACTICEHUB_CACHE"})


@dataclass(frozen=True)
class Command:
    line: int
    text: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    line: int
    commands: tuple[Command, ...] = ()
    file: str = ""
    content: str = ""


def blocks(document: Path) -> list[Block]:
    """The test and file blocks of ``document``, in order."""
    found: list[Block] = []
    lines = document.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, info = opening["indent"], opening["info"].split()
        body: list[str] = []
        start = index + 1
        index += 1
        # A longer fence (````) shows a block as an example: what it holds is not run.
        while index < len(lines) and lines[index].strip() != opening["fence"]:
            body.append(lines[index][len(indent):])
            index += 1
        index += 1
        if len(opening["fence"]) > 3:
            continue
        if info[1:] == ["test"]:
            found.append(Block(start, commands=_commands(body, start)))
        elif len(info) == 2 and info[1].startswith("file="):
            found.append(Block(start, file=info[1].removeprefix("file="),
                               content="\n".join(body) + "\n"))
    return found


def _commands(body: list[str], start: int) -> tuple[Command, ...]:
    commands: list[Command] = []
    for offset, text in enumerate(body, start=start + 1):
        if text.startswith("$ "):
            commands.append(Command(offset, text[2:], ()))
        elif text.strip() and commands:
            last = commands[-1]
            commands[-1] = Command(last.line, last.text, (*last.expected, text.strip()))
    return tuple(commands)


def _in_folder(text: str, folder: Path) -> str:
    for stand_in in STAND_INS:
        text = text.replace(stand_in, f"{folder}{stand_in}")
    return text


def _environment(folder: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in _SESSION_ONLY and not key.startswith("PYTEST_")}
    environment.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                       PRACTICEHUB_DATA_DIR=str(folder / "data"), TQDM_DISABLE="1")
    return environment


def _tested(document: Path) -> bool:
    return any(block.commands for block in blocks(document))


def _name(document: Path) -> str:
    return str(document.relative_to(REPO))


@pytest.mark.parametrize("document", [d for d in DOCUMENTS if _tested(d)], ids=_name)
def test_the_documented_commands_run_and_print_what_the_document_says(
    document: Path, tmp_path: Path,
) -> None:
    for stand_in in STAND_INS:
        (tmp_path / stand_in.strip("/")).mkdir(parents=True)
    environment = _environment(tmp_path)
    for block in blocks(document):
        if block.file:
            target = Path(_in_folder(block.file, tmp_path))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(_in_folder(block.content, tmp_path), encoding="utf-8")
    for block in blocks(document):
        for command in block.commands:
            where = f"{_name(document)}:{command.line}: $ {command.text}"
            done = subprocess.run(["bash", "-c", _in_folder(command.text, tmp_path)],
                                  cwd=tmp_path, env=environment, capture_output=True, text=True,
                                  check=False, timeout=300)
            printed = done.stdout + done.stderr
            assert done.returncode == 0, f"{where}\nexit {done.returncode}\n{printed[-3000:]}"
            for expected in command.expected:
                assert _in_folder(expected, tmp_path) in printed, (
                    f"{where}\ndid not print: {expected}\nprinted:\n{printed[-3000:]}")


@pytest.mark.parametrize("name", MUST_HAVE_TESTED_COMMANDS)
def test_these_documents_keep_commands_that_are_tested(name: str) -> None:
    assert _tested(REPO / name), f"{name} has no ```sh test block"


def test_a_block_is_read_as_commands_and_what_they_print(tmp_path: Path) -> None:
    document = tmp_path / "example.md"
    document.write_text("Text.\n\n  ```sh test\n  $ practicehub --help\n  Available subcommands:\n"
                        "  $ true\n  ```\n\n```ini file=/etc/practicehub/a.env\nA=1\n```\n"
                        "```sh\n$ not run\n```\n````md\n```sh test\n$ not run\n```\n````\n",
                        encoding="utf-8")
    assert blocks(document) == [
        Block(3, commands=(Command(4, "practicehub --help", ("Available subcommands:",)),
                           Command(6, "true", ()))),
        Block(9, file="/etc/practicehub/a.env", content="A=1\n"),
    ]
