"""Charts: one pure function per chart returning a Vega-Lite spec, and server-side SVG rendering.

Pages show each chart with its title, a description and the same numbers in a table beside it;
points carry shapes as well as colours, so colour is never the only cue.
"""

from __future__ import annotations

from typing import Any

from practicehub.core import vega
from practicehub.fidelity.services.dashboards import Group, charted
from practicehub.fidelity.services.runchart import RunChart

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# Vega labels every mark with the fields it draws ("Month: 2025-03; Share proficient: 0.5"); the
# SVG root is aria-hidden (the figure names the chart, the table beside it has the numbers), so
# the labels repeat nothing aloud, and tests read from them what each mark shows.
CONFIG = {"font": "Source Sans Pro, Helvetica, Arial, sans-serif"}


def share_bars(title: str, groups: list[Group]) -> dict[str, Any]:
    """Share of proficient ratings per group, with the Wilson interval as a rule."""
    # charted() keeps only groups with ratings, so each has its interval.
    values = [{"group": g.label, "share": g.share, "low": low, "high": high}
              for g in charted(groups) for low, high in [g.interval or (None, None)]]
    # A unit's whole name (Vega-Lite would cut it at 180 px), the axis the whole 0-100%.
    axis, rows = vega.category_axis([g.label for g in charted(groups)])
    y = {"field": "group", "type": "nominal", "title": None, "sort": None, "axis": axis}
    return {
        "$schema": SCHEMA, "title": title, "width": 420, "height": rows, "config": CONFIG,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "bar", "color": "#005ea2"},
             "encoding": {"y": y, "x": {"field": "share", "type": "quantitative",
                                        "title": "Share proficient", "axis": {"format": "%"},
                                        "scale": {"domain": [0, 1]}}}},
            {"mark": {"type": "rule", "color": "#1b1b1b"},
             "encoding": {"y": y, "x": {"field": "low", "type": "quantitative"},
                          "x2": {"field": "high"}}},
        ],
    }


def run_chart_spec(title: str, groups: list[Group], chart: RunChart) -> dict[str, Any]:
    """Monthly share proficient with the median line; points in a signal are drawn as squares.
    Hidden months are not drawn (``chart`` is computed from the same ``charted`` months)."""
    shares = charted(groups)
    flags = chart.flags(len(shares))
    values = [{"period": g.label, "share": g.share, "signal": flag or "none"}
              for g, flag in zip(shares, flags, strict=True)]
    x = {"field": "period", "type": "ordinal", "title": "Month"}
    y = {"field": "share", "type": "quantitative", "title": "Share proficient",
         "axis": {"format": "%"}, "scale": {"domain": [0, 1]}}
    return {
        "$schema": SCHEMA, "title": title, "width": 520, "config": CONFIG,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "line", "color": "#005ea2"}, "encoding": {"x": x, "y": y}},
            {"mark": {"type": "point", "filled": True, "size": 60},
             "encoding": {"x": x, "y": y,
                          "shape": {"field": "signal", "type": "nominal", "title": "Signal"},
                          "color": {"field": "signal", "type": "nominal", "title": "Signal",
                                    "scale": {"range": ["#005ea2", "#d54309", "#1a4480"]}}}},
            {"mark": {"type": "rule", "strokeDash": [6, 4], "color": "#565c65"},
             "encoding": {"y": {"datum": chart.median or 0}}},
        ],
    }


def render_svg(spec: dict[str, Any]) -> vega.Drawn:
    """The chart as inline SVG (no JavaScript on the page), carrying its spec for downloads.

    The SVG is hidden from assistive technology: the figure around it carries the name and
    description, and the table beside it the numbers.
    """
    return vega.drawn(spec)
