"""The practice models that ship with practicehub (``practice_model/data``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from practicehub.practice_model.services.crosswalk import load_shipped_crosswalks
from practicehub.practice_model.services.loader import LoadResult, load_model_file

SHIPPED_MODELS = ("cfpm.yaml", "cpm.yaml", "implementation-support.yaml")


def shipped_model_path(name: str) -> Path:
    return Path(str(resources.files("practicehub.practice_model").joinpath("data", name)))


def load_shipped_models() -> list[LoadResult]:
    """Load the shipped models and the crosswalks between them; calling it again changes
    nothing (they are published)."""
    results = [load_model_file(shipped_model_path(name)) for name in SHIPPED_MODELS]
    load_shipped_crosswalks()
    return results
