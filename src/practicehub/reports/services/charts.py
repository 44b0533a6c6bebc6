"""A report's charts as PNG, drawn by the one chart layer (``core.vega.png``, twice the page
size) from the same specs the pages draw as SVG."""

from __future__ import annotations

import struct
from typing import Any

from practicehub.core import vega


def chart_png(spec: dict[str, Any]) -> tuple[bytes, tuple[int, int]]:
    """The PNG and its size in pixels (read from its IHDR header)."""
    drawn = vega.png(spec)
    width, height = struct.unpack(">II", drawn[16:24])
    return drawn, (int(width), int(height))


SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
CONFIG = {"font": "Helvetica, Arial, sans-serif"}


def against_national(title: str, rows: list[tuple[str, float | None, float | None]]
                     ) -> dict[str, Any]:
    """Bars of each proportion measure's value with a tick at the national performance; a
    suppressed value (None) draws no bar, a measure without a national figure no tick."""
    values = [{"measure": name, "value": value, "national": national}
              for name, value, national in rows]
    y = {"field": "measure", "type": "nominal", "title": None, "sort": None,
         "axis": {"labelLimit": 260}}
    x = {"type": "quantitative", "title": "Share", "axis": {"format": "%"},
         "scale": {"domain": [0, 1]}}
    return {
        "$schema": SCHEMA, "title": title, "width": 300, "config": CONFIG,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "bar", "color": "#005ea2"},
             "encoding": {"y": y, "x": {**x, "field": "value"}}},
            {"mark": {"type": "tick", "color": "#d83933", "thickness": 3, "size": 18},
             "encoding": {"y": y, "x": {**x, "field": "national"}}},
        ],
    }


def disparity_bars(title: str, rows: list[tuple[str, float | None]]) -> dict[str, Any]:
    """Disparity index per group (1 = the white children's rate, drawn as a rule)."""
    values = [{"group": name, "index": value} for name, value in rows]
    y = {"field": "group", "type": "nominal", "title": None, "sort": None,
         "axis": {"labelLimit": 260}}
    return {
        "$schema": SCHEMA, "title": title, "width": 300, "config": CONFIG,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "bar", "color": "#005ea2"},
             "encoding": {"y": y, "x": {"field": "index", "type": "quantitative",
                                        "title": "Disparity index (white children = 1)"}}},
            {"mark": {"type": "rule", "color": "#1b1b1b", "strokeDash": [4, 3]},
             "encoding": {"x": {"datum": 1}}},
            {"mark": {"type": "text", "align": "left", "dx": 3, "color": "#1b1b1b"},
             "encoding": {"y": y, "x": {"field": "index", "type": "quantitative"},
                          "text": {"field": "index", "type": "quantitative", "format": ".2f"}}},
        ],
    }
