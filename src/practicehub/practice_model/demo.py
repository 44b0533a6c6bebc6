"""The demo's practice models: the shipped ones, published (``practicehub demo``)."""

from __future__ import annotations

from collections.abc import Callable

from practicehub.practice_model.services import load_shipped_models


def load_demo(progress: Callable[[str], None]) -> None:
    progress("Loading the practice models …")
    load_shipped_models()
