"""Charts: one pure function per chart returning a Vega-Lite spec, rendered to SVG on the server.

Pages show each chart with a title, a description and the same figures as a table, so the chart is
never the only way to read them; bars carry their value as text so colour is not needed either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from practicehub.core import vega
from practicehub.implementation.services.support import DosageRow

Spec = dict[str, Any]


def hours_bar_chart(rows: Sequence[DosageRow], *, title: str, description: str,
                    category: str) -> Spec:
    """Horizontal bars of support hours per category, labelled with their value."""
    values = [{"category": row.label, "hours": float(row.hours)} for row in rows]
    # The axis reaches past the longest bar, leaving room for its value written after it, and
    # a category's (provider's, kind's) whole name stands beside its bar.
    top = vega.nice_top(max([float(row.hours) for row in rows] + [0.0]) * 1.12)
    axis, step = vega.category_axis([row.label for row in rows])
    encoding = {
        "y": {"field": "category", "type": "nominal", "title": category, "sort": None,
              "axis": axis},
        "x": {"field": "hours", "type": "quantitative", "title": "Hours",
              "scale": {"domain": [0, top], "nice": False}},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": description,
        "width": 420,
        "height": step,
        "data": {"values": values},
        "encoding": encoding,
        "layer": [
            {"mark": {"type": "bar", "color": "#005ea2"}},
            {"mark": {"type": "text", "align": "left", "dx": 3, "color": "#1b1b1b"},
             "encoding": {"text": {"field": "hours", "type": "quantitative", "format": ".1f"}}},
        ],
    }


def render_svg(spec: Spec) -> vega.Drawn:
    """The chart as SVG for embedding in the page, carrying its spec for downloads (the page
    wraps it in an element that names it)."""
    return vega.drawn(spec, hidden=False)


def indicator_chart(points: Sequence[dict[str, Any]], line: Sequence[dict[str, Any]], *,
                    description: str, share: bool) -> Spec:
    """An indicator's actuals by quarter (a solid line with points; a suppressed or missing
    quarter is a gap, a suppressed one marked "S" on the axis) against the dashed target line
    from the baseline to the target. Untitled: the page's heading above it names the figure.

    ``points``: ``{"quarter": ISO date, "actual": value or None, "suppressed": bool, "row": the
    table's row label}`` (each point names its row, as every chart's marks do);
    ``line``: the baseline and target as ``{"quarter": ISO date, "target": value}``.
    """
    y_axis: dict[str, Any] = {"title": None, "format": ".0%" if share else "~r"}
    x = {"field": "quarter", "type": "temporal", "title": "Quarter ending",
         "axis": {"format": "%b %Y", "labelAngle": 0, "tickCount": 4}}
    suppressed = [dict(p, marker=0.0) for p in points if p["suppressed"]]
    actual = {"x": x, "y": {"field": "actual", "type": "quantitative", "axis": y_axis}}
    # A quarter without a value breaks the line: the runs between gaps are drawn apart.
    runs: list[dict[str, Any]] = []
    run = 0
    for point in points:
        if point["actual"] is None:
            run += 1
        else:
            runs.append(dict(point, run=run))
    layers: list[Spec] = [
        {"data": {"values": list(line)},
         "mark": {"type": "line", "color": "#71767a", "strokeDash": [6, 4],
                  "description": "Target line from the baseline to the target"},
         "encoding": {"x": x, "y": {"field": "target", "type": "quantitative",
                                     "axis": y_axis}}},
        {"data": {"values": runs},
         "mark": {"type": "line", "color": "#005ea2", "description": "Actuals by quarter"},
         "encoding": {**actual, "detail": {"field": "run", "type": "nominal"}}},
        {"data": {"values": runs},
         # No mark description: it would replace each point's label, which names its row.
         "mark": {"type": "point", "filled": True, "color": "#005ea2"},
         "encoding": {**actual, "tooltip": [
             {"field": "row", "title": "Row"},
             {"field": "actual", "title": "Actual", "format": ".0%" if share else "~g"}]}},
    ]
    if suppressed:
        layers.append({"data": {"values": suppressed},
                       "mark": {"type": "text", "text": "S", "dy": -6, "color": "#1b1b1b",
                                "description": "Suppressed quarters"},
                       "encoding": {"x": x, "y": {"field": "marker", "type": "quantitative"}}})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": description, "width": 360, "height": 150,
        "layer": layers,
    }
