"""What ``kept`` keeps: built once, each caller its own copy, nothing past its time, bounded."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache

from practicehub.core.services import kept as kept_module
from practicehub.core.services.kept import kept


@pytest.fixture
def locmem(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    kept_module.forget_everything()


def _counting() -> tuple[list[int], Any]:
    built: list[int] = []

    def build() -> dict[str, list[int]]:
        built.append(1)
        return {"figures": [1, 2, 3]}

    return built, build


def test_a_kept_figure_is_built_once_and_each_caller_gets_its_own_copy(locmem: None) -> None:
    built, build = _counting()
    first = kept("k1", 60, build)
    first["figures"].append(99)  # a caller changing what it got
    again = kept("k1", 60, build)
    assert again == {"figures": [1, 2, 3]}
    assert len(built) == 1


def test_another_process_finds_it_in_the_shared_cache(locmem: None) -> None:
    built, build = _counting()
    kept("k2", 60, build)
    kept_module.forget_in_process()  # as a second server process would start
    assert kept("k2", 60, build) == {"figures": [1, 2, 3]}
    assert len(built) == 1
    assert cache.get("k2") == {"figures": [1, 2, 3]}


def test_nothing_is_answered_past_its_time(locmem: None, monkeypatch: pytest.MonkeyPatch) -> None:
    built, build = _counting()
    kept("k3", 60, build)
    clock = time.monotonic() + 61
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    cache.delete("k3")  # the shared entry's own 60 s are over too
    kept("k3", 60, build)
    assert len(built) == 2


def test_a_dummy_cache_keeps_nothing(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    built, build = _counting()
    kept("k4", 60, build)
    kept("k4", 60, build)
    assert len(built) == 2


def test_the_process_copy_stays_within_its_bytes(locmem: None) -> None:
    memory = kept_module._Memory(limit=8_000)
    for number in range(50):
        memory.put(f"k{number}", "x" * 500, 60)
    assert memory.size <= 8_000
    assert memory.get("k49") == (True, "x" * 500)  # the newest stay
    assert memory.get("k0") == (False, None)  # the oldest went first
    memory.put("big", "x" * 2_000, 60)  # over an eighth of the limit: not kept here
    assert memory.get("big") == (False, None)
