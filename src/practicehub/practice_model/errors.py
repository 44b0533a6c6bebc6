"""Exceptions the practice model raises, shared by its models, services and commands."""

from __future__ import annotations

from practicehub.core.errors import Refused
from practicehub.core.yamlfiles import DataFileError, Problem

__all__ = ["ModelChangeError", "ModelFileError", "Problem", "PublishedVersionError"]

# A model file is read as every YAML data file is (core/yamlfiles.py); its refusal is theirs.
ModelFileError = DataFileError


class PublishedVersionError(RuntimeError):
    """A change was attempted on a published version, which never changes."""

    def __init__(self, what: str = "this content") -> None:
        super().__init__(
            f"{what} belongs to a published version, which never changes; "
            "start a new draft version to edit it"
        )


class ModelChangeError(Refused):
    """A draft or publish request that cannot be carried out, with a message for the user."""
