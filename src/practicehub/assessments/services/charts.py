"""Assessment charts: one pure function per chart returning a Vega-Lite spec."""

from __future__ import annotations

import math
from typing import Any

from practicehub.assessments.services.scoring import ONE_PLACE, Results
from practicehub.core import vega

Spec = dict[str, Any]
LABEL_WIDTH = 18  # letters per line of a wedge's label


def _percent_rows(results: Results, label: str) -> list[dict[str, Any]]:
    return [{"scale": s.name, "percent": float(s.percent.quantize(ONE_PLACE)), "when": label}
            for s in results.sections]


def radar_chart(results: Results, *, title: str, description: str) -> Spec:
    """A radial chart: one equal wedge per sub-scale, reaching out to its percent of maximum.

    Vega-Lite has no radar mark; equal wedges with a radius scale show the same profile and
    every wedge is labelled with its name and value, so no colour is needed to read it.
    """
    values = _percent_rows(results, "this administration")
    # Wedge angles are worked out here: Vega-Lite's own stacking would group by the radius.
    wedge = 2 * math.pi / max(len(values), 1)
    for index, row in enumerate(values):
        # A label is its name and value in lines of at most LABEL_WIDTH letters, never cut off.
        row.update(start=index * wedge, end=(index + 1) * wedge, middle=(index + 0.5) * wedge,
                   label=vega.wrapped(f"{row['scale']} {row['percent']:g}%", LABEL_WIDTH))
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": description,
        "width": 260,
        "height": 260,
        "padding": {"left": 70, "right": 70, "top": 30, "bottom": 30},
        "data": {"values": values},
        "encoding": {
            "theta": {"field": "start", "type": "quantitative", "scale": None},
            "theta2": {"field": "end"},
            # Alternating blues only separate neighbouring wedges; labels carry the meaning.
            "color": {"field": "scale", "type": "nominal", "sort": None, "legend": None,
                      "scale": {"range": ["#005ea2", "#73b3e7"]}},
            "radius": {"field": "percent", "type": "quantitative",
                       "scale": {"type": "linear", "domain": [0, 100], "zero": True,
                                 "rangeMin": 10}},
        },
        "layer": [
            {"mark": {"type": "arc", "stroke": "#ffffff"}},
            # Every label sits just outside the full (100%) circle, in the middle of its wedge,
            # so short wedges' labels no longer crowd the centre and overlap one another.
            {"mark": {"type": "text", "radiusOffset": 8, "color": "#1b1b1b", "fontSize": 10,
                      "lineHeight": 12,
                      # Right of the centre a label runs rightwards, left of it leftwards;
                      # above the centre its lines grow upwards, below it downwards.
                      "align": {"expr": "sin(datum.middle) > 0.2 ? 'left' : "
                                        "sin(datum.middle) < -0.2 ? 'right' : 'center'"},
                      "baseline": {"expr": "cos(datum.middle) > 0.2 ? 'bottom' : "
                                           "cos(datum.middle) < -0.2 ? 'top' : 'middle'"}},
             "encoding": {"text": {"field": "label"},
                          "radius": {"datum": 100, "type": "quantitative"},
                          "theta": {"field": "middle", "type": "quantitative", "scale": None},
                          "theta2": None,
                          "color": {"value": "#1b1b1b"}}},
        ],
    }


def change_bar_chart(before: Results | None, after: Results, *, title: str,
                     description: str) -> Spec:
    """Grouped bars of each sub-scale's percent of maximum, earlier beside latest."""
    values = _percent_rows(after, "latest")
    if before is not None:
        values = _percent_rows(before, "earlier") + values
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": description,
        "width": 380,
        "data": {"values": values},
        "encoding": {
            "y": {"field": "scale", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "when", "sort": ["earlier", "latest"]},
            "x": {"field": "percent", "type": "quantitative", "title": "Percent of maximum",
                  "scale": {"domain": [0, 100]}},
        },
        "layer": [
            {"mark": {"type": "bar"},
             "encoding": {"color": {"field": "when", "title": "Administration",
                                    "sort": ["earlier", "latest"],
                                    "scale": {"range": ["#a9aeb1", "#005ea2"]}}}},
            {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 9,
                      "color": "#1b1b1b"},
             "encoding": {"text": {"field": "when"}}},
        ],
    }
