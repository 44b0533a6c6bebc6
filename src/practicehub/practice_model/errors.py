"""Exceptions the practice model raises, shared by its models, services and commands."""

from __future__ import annotations

from dataclasses import dataclass

from practicehub.core.errors import Located, Refused


class PublishedVersionError(RuntimeError):
    """A change was attempted on a published version, which never changes."""

    def __init__(self, what: str = "this content") -> None:
        super().__init__(
            f"{what} belongs to a published version, which never changes; "
            "start a new draft version to edit it"
        )


class ModelChangeError(Refused):
    """A draft or publish request that cannot be carried out, with a message for the user."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a model file: where (file and line) and what."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


class ModelFileError(Refused):
    """A model file cannot be loaded; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.source, p.line or 0, p.message))
        super().__init__("\n".join(str(problem) for problem in self.problems),
                         [Located(p.message, line=p.line, source=p.source)
                          for p in self.problems])
