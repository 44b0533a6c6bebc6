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
