"""Vega-Lite charts drawn as SVG on the server, once per chart: the same spec (the same figures)
is answered from the shared cache, since drawing one takes vl-convert about 0.1 s of CPU."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from typing import Any

import vl_convert
from django.core.cache import cache

CACHE_SECONDS = 24 * 3600
DRAWN_BY = version("vl-convert-python")  # part of the key: another version may draw otherwise


def spec_to_svg(spec: dict[str, Any]) -> str:
    """The SVG vl-convert draws for ``spec`` (kept under a hash of the spec)."""
    text = json.dumps(spec, sort_keys=True, default=str)
    key = "vega-svg:" + hashlib.sha256(f"{DRAWN_BY}{text}".encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = vl_convert.vegalite_to_svg(spec)
        cache.set(key, found, CACHE_SECONDS)
    return str(found)
