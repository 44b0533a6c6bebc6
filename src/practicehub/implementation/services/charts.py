"""Charts: one pure function per chart returning a Vega-Lite spec, rendered to SVG on the server.

Pages show each chart with a title, a description and the same figures as a table, so the chart is
never the only way to read them; bars carry their value as text so colour is not needed either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from practicehub.core.vega import spec_to_svg
from practicehub.implementation.services.support import DosageRow

Spec = dict[str, Any]


def hours_bar_chart(rows: Sequence[DosageRow], *, title: str, description: str,
                    category: str) -> Spec:
    """Horizontal bars of support hours per category, labelled with their value."""
    values = [{"category": row.label, "hours": float(row.hours)} for row in rows]
    encoding = {
        "y": {"field": "category", "type": "nominal", "title": category, "sort": None},
        "x": {"field": "hours", "type": "quantitative", "title": "Hours"},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": description,
        "width": 420,
        "data": {"values": values},
        "encoding": encoding,
        "layer": [
            {"mark": {"type": "bar", "color": "#005ea2"}},
            {"mark": {"type": "text", "align": "left", "dx": 3, "color": "#1b1b1b"},
             "encoding": {"text": {"field": "hours", "type": "quantitative", "format": ".1f"}}},
        ],
    }


def render_svg(spec: Spec) -> str:
    """The chart as an SVG string, for embedding in the page."""
    return spec_to_svg(spec)


def indicator_chart(points: Sequence[dict[str, Any]], line: Sequence[dict[str, Any]], *,
                    title: str, description: str, share: bool) -> Spec:
    """An indicator's actuals by quarter (a solid line with points; a suppressed or missing
    quarter is a gap, a suppressed one marked "S" on the axis) against the dashed target line
    from the baseline to the target.

    ``points``: ``{"quarter": ISO date, "actual": value or None, "suppressed": bool}``;
    ``line``: the baseline and target as ``{"quarter": ISO date, "target": value}``.
    """
    y_axis: dict[str, Any] = {"title": None, "format": ".0%" if share else "~g"}
    x = {"field": "quarter", "type": "temporal", "title": "Quarter ending",
         "axis": {"format": "%b %Y", "labelAngle": 0, "tickCount": 4}}
    suppressed = [dict(p, marker=0.0) for p in points if p["suppressed"]]
    layers: list[Spec] = [
        {"data": {"values": list(line)}, "mark": {"type": "line", "color": "#71767a",
                                                  "strokeDash": [6, 4]},
         "encoding": {"x": x, "y": {"field": "target", "type": "quantitative",
                                     "axis": y_axis}}},
        {"data": {"values": list(points)},
         "mark": {"type": "line", "point": True, "color": "#005ea2", "invalid": None},
         "encoding": {"x": x, "y": {"field": "actual", "type": "quantitative",
                                     "axis": y_axis}}},
    ]
    if suppressed:
        layers.append({"data": {"values": suppressed},
                       "mark": {"type": "text", "text": "S", "dy": -6, "color": "#1b1b1b"},
                       "encoding": {"x": x, "y": {"field": "marker", "type": "quantitative"}}})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title, "description": description, "width": 320, "height": 140,
        "layer": layers,
    }
