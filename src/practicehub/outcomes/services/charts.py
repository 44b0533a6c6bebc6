"""The outcome dashboards' charts as Vega-Lite specs, drawn by the one chart layer
(``core/vega.py``): line charts (trends, time-to-permanency curves) and horizontal bar charts.

The page builders hand over what they already computed (series of points, bars); these functions
only lay it out. Each chart has a title and a description, and the page puts a table with the
same numbers beside it. Series differ by dash pattern and marker shape as well as by colour (a
legend names them, so no label at a line's end can overlap another), so colour is never the
only cue; every colour has at least 4.5:1 contrast on white. A value the table suppresses is not
drawn: a line breaks there, a bar is left empty with the table's word ("suppressed") written
where it would start. Every drawn mark names the table row it comes from in its label ("Row:
Mar 2024"), so a test can check the chart shows no row its table hides. Axis labels are the
page's own formatting of each tick (``y_format``), so the chart reads as the table does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from practicehub.core import vega

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
# USWDS system colours, dark enough for text contrast on white.
PALETTE = ("#005ea2", "#b50909", "#1b1b1b", "#00756a", "#6b4ea8", "#8a5a00", "#3d4551",
           "#c2185b", "#2e6276")
DASHES: tuple[list[int], ...] = ([1, 0], [6, 3], [2, 3], [9, 3, 2, 3], [12, 4], [4, 2, 1, 2],
                                 [1, 2], [8, 2, 2, 2, 2, 2], [3, 5])
MARKERS = ("circle", "square", "triangle-up", "diamond")
REFERENCE_COLOUR = "#565c65"
WIDTH, HEIGHT = 560, 260
BAR_WIDTH, BAR_ROW = 320, 24
CONFIG = {"font": "Source Sans Pro, Helvetica, Arial, sans-serif",
          "axis": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260},
          "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 260},
          "title": {"fontSize": 14, "anchor": "start"}, "view": {"stroke": None}}

Format = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[float, float | None], ...]  # (x, y); y None is a gap (suppressed)
    step: bool = False  # draw as a step function (survival-type curves)
    rows: tuple[str, ...] = ()  # per point, the table row it comes from; else the series label

    def row_of(self, index: int) -> str:
        return self.rows[index] if index < len(self.rows) else self.label


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    value: float


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed or no value, drawn as a labelled empty row
    note: str  # the text written at the end of the bar (value and, say, an index)


nice_top = vega.nice_top  # a round axis maximum at or above a value


def _floor_log10(value: float) -> int:
    return vega._floor_log10(value)


def _tick_count(top: float) -> int:
    """Ticks that land on round numbers: 2 splits in four (0.5 steps), the rest in five."""
    mantissa = top / 10.0 ** _floor_log10(top) if top > 0 else 1.0
    return 4 if abs(mantissa - 2.0) < 1e-9 else 5


def _ticks(top: float) -> list[float]:
    count = _tick_count(top)
    return [round(top * index / count, 12) for index in range(count + 1)]


def _labelled(ticks: Sequence[tuple[float, str]]) -> dict[str, Any]:
    """An axis with these tick values, each labelled as the page writes it."""
    expression = "''"
    for value, label in reversed(ticks):
        expression = f"abs(datum.value - {value!r}) < 1e-9 ? {json.dumps(label)} : {expression}"
    return {"values": [value for value, _ in ticks], "labelExpr": expression}


def _spec(title: str, description: str, width: int, height: int,
          values: list[dict[str, Any]], layers: list[dict[str, Any]]) -> dict[str, Any]:
    return {"$schema": SCHEMA, "title": title, "description": description, "width": width,
            "height": height, "config": CONFIG, "data": {"values": values}, "layer": layers}


def line_spec(
    title: str, description: str, series: Sequence[Series], *,
    x_ticks: Sequence[tuple[float, str]], x_title: str, y_format: Format,
    reference: ReferenceLine | None = None, y_max: float | None = None, markers: bool = True,
) -> dict[str, Any]:
    """Lines of one or more series over a shared x axis, with an optional horizontal reference."""
    values: list[dict[str, Any]] = []
    for one in series:
        run = 0
        for index, (at, value) in enumerate(one.points):
            if value is None:
                run += 1  # a suppressed point breaks the line: the next run is a new path
                continue
            values.append({"series": one.label, "run": f"{one.label} {run}", "x": at, "y": value,
                           "row": one.row_of(index)})
    ys: list[float] = [row["y"] for row in values]
    top = y_max if y_max is not None else nice_top(
        max([*ys, reference.value if reference else 0.0, 0.0]) * 1.1)
    xs = [x for one in series for x, _ in one.points] or [0.0, 1.0]
    labels = [one.label for one in series] or ["none"]  # an empty domain draws no image
    identity = {"field": "series", "type": "nominal", "title": None, "sort": labels}
    x = {"field": "x", "type": "quantitative", "title": x_title,
         "scale": {"domain": [min(xs), max(xs)], "nice": False},
         "axis": {**_labelled(x_ticks), "grid": False, "labelAngle": 0, "labelOverlap": True}}
    y = {"field": "y", "type": "quantitative", "title": None,
         "scale": {"domain": [0, top], "nice": False},
         "axis": _labelled([(tick, y_format(tick)) for tick in _ticks(top)])}
    legend = {"orient": "bottom", "direction": "vertical", "symbolStrokeWidth": 2.5,
              "symbolSize": 200} if len(series) > 1 or (series and not markers) else None
    encoding = {
        "x": x, "y": y, "detail": {"field": "run"},
        "color": {**identity, "scale": {"domain": labels, "range": list(PALETTE)},
                  "legend": legend},
        "strokeDash": {**identity, "scale": {"domain": labels, "range": list(DASHES)},
                       "legend": legend},
    }
    line: dict[str, Any] = {
        "mark": {"type": "line", "strokeWidth": 2.5,
                 "interpolate": "step-after" if any(s.step for s in series) else "linear"},
        "encoding": {**encoding, "tooltip": [{"field": "series", "title": "Row"}]}}
    layers = [line]
    if markers:
        layers.append({
            "mark": {"type": "point", "filled": True, "size": 60, "opacity": 1},
            "encoding": {"x": x, "y": y, "color": encoding["color"],
                         "shape": {**identity, "scale": {"domain": labels,
                                                         "range": list(MARKERS)},
                                   "legend": legend},
                         "tooltip": [{"field": "row", "title": "Row"},
                                     {"field": "series", "title": "Series"}]}})
    if reference is not None:
        layers += _reference_layers(reference, horizontal=True)
    return _spec(title, description, WIDTH, HEIGHT, values, layers)


def _reference_layers(reference: ReferenceLine, *, horizontal: bool) -> list[dict[str, Any]]:
    where = {"datum": reference.value, "type": "quantitative"}
    axis = "y" if horizontal else "x"
    label: dict[str, Any] = {
        "mark": {"type": "text", "color": REFERENCE_COLOUR, "fontSize": 11, "aria": False,
                 "align": "right" if horizontal else "center", "baseline": "bottom",
                 "dy": -3, **({"x": "width"} if horizontal else {"y": 0})},
        "encoding": {axis: where, "text": {"value": reference.label}}}
    return [{"mark": {"type": "rule", "color": REFERENCE_COLOUR, "strokeWidth": 2,
                      "strokeDash": [8, 4], "aria": False}, "encoding": {axis: where}}, label]


def bar_spec(
    title: str, description: str, bars: Sequence[Bar], *, value_format: Format,
    axis_title: str, reference: ReferenceLine | None = None,
) -> dict[str, Any]:
    """Horizontal bars, one per group, the note (value and more) written at each bar's end."""
    values = [{"group": bar.label, "value": bar.value, "end": bar.value or 0.0,
               "note": bar.note} for bar in bars]
    drawn = [bar.value for bar in bars if bar.value is not None]
    top = nice_top(max([*drawn, reference.value if reference else 0.0, 0.0]) * 1.05)
    axis, step = vega.category_axis([b.label for b in bars])
    y = {"field": "group", "type": "nominal", "title": None, "sort": [b.label for b in bars],
         "axis": axis}
    x = {"field": "value", "type": "quantitative", "title": axis_title,
         "scale": {"domain": [0, top], "nice": False},
         "axis": _labelled([(tick, value_format(tick)) for tick in _ticks(top)])}
    layers: list[dict[str, Any]] = [
        {"transform": [{"filter": "datum.value != null"}],
         "mark": {"type": "bar", "color": PALETTE[0], "height": {"band": 0.7}},
         "encoding": {"y": y, "x": x, "tooltip": [{"field": "group", "title": "Row"}]}},
        # The note is the table's figure (or its "suppressed"): read from the table, so hidden
        # from assistive technology here.
        {"mark": {"type": "text", "align": "left", "dx": 4, "color": "#1b1b1b",
                  "fontSize": 12, "aria": False},
         "encoding": {"y": y, "x": {"field": "end", "type": "quantitative"},
                      "text": {"field": "note"}}},
    ]
    if reference is not None:
        layers += _reference_layers(reference, horizontal=False)
    height = max(BAR_ROW, step["step"]) * max(len(bars), 1)
    return _spec(title, description, BAR_WIDTH, height, values, layers)


def line_chart(chart_id: str, title: str, description: str, series: Sequence[Series], *,
               x_ticks: Sequence[tuple[float, str]], x_title: str, y_format: Format,
               reference: ReferenceLine | None = None, y_max: float | None = None,
               markers: bool = True) -> vega.Drawn:
    """``line_spec`` drawn for a page (``chart_id`` is the name its downloads take)."""
    spec = line_spec(title, description, series, x_ticks=x_ticks, x_title=x_title,
                     y_format=y_format, reference=reference, y_max=y_max, markers=markers)
    return _figure(chart_id, spec)


def bar_chart(chart_id: str, title: str, description: str, bars: Sequence[Bar], *,
              value_format: Format, axis_title: str,
              reference: ReferenceLine | None = None) -> vega.Drawn:
    """``bar_spec`` drawn for a page."""
    spec = bar_spec(title, description, bars, value_format=value_format,
                    axis_title=axis_title, reference=reference)
    return _figure(chart_id, spec)


def _figure(chart_id: str, spec: dict[str, Any]) -> vega.Drawn:
    """The SVG named by its title and description for assistive technology (the page shows the
    chart with no caption of its own), carrying the spec for its downloads."""
    drawn = vega.drawn({**spec, "name": chart_id}, hidden=False)
    named = drawn.replace("<svg ", f'<svg role="img" aria-label="{_attr(spec["title"])}. '
                          f'{_attr(spec["description"])}" ', 1)
    return vega.Drawn(named.replace('class="marks"', 'class="marks ph-chart"', 1), drawn.spec)


def _attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))
