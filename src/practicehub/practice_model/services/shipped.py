"""The practice models that ship with practicehub (``practice_model/data``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from practicehub.practice_model.services.loader import LoadResult, load_model_file

SHIPPED_MODELS = ("cfpm.yaml", "cpm.yaml", "implementation-support.yaml")


def shipped_model_path(name: str) -> Path:
    return Path(str(resources.files("practicehub.practice_model").joinpath("data", name)))


def load_shipped_models() -> list[LoadResult]:
    """Load the shipped models; calling it again changes nothing (they are published)."""
    return [load_model_file(shipped_model_path(name)) for name in SHIPPED_MODELS]
