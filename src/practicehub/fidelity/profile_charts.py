"""The implementation-support profile's chart: a Vega-Lite spec drawn through core/vega.py."""

from __future__ import annotations

from typing import Any

from practicehub.fidelity.charts import CONFIG, SCHEMA
from practicehub.fidelity.services.profile_results import BUCKET_LABELS, QuarterRow, quarter_label


def profile_chart(title: str, rows: list[QuarterRow], domain: str = "") -> dict[str, Any]:
    """Share of competencies rated expected per quarter, self-ratings beside ratings by peers
    and leads (colour and shape). Hidden rows and rows with nothing rated are not drawn; each
    point names its table row."""
    values = [{"quarter": quarter_label(row.quarter), "rated_by": BUCKET_LABELS[row.bucket],
               "share": row.share(domain).share, "row": row.label}
              for row in rows if not row.hidden and row.share(domain).share is not None]
    x = {"field": "quarter", "type": "ordinal", "title": "Quarter", "sort": None}
    y = {"field": "share", "type": "quantitative", "title": "Share rated expected",
         "axis": {"format": "%"}, "scale": {"domain": [0, 1]}}
    raters = list(BUCKET_LABELS.values())
    colour = {"field": "rated_by", "type": "nominal", "title": "Rated by",
              "scale": {"domain": raters, "range": ["#005ea2", "#d54309"]}}
    # Shape on the same field, title and domain, so one legend shows both cues.
    shape = {"field": "rated_by", "type": "nominal", "title": "Rated by",
             "scale": {"domain": raters, "range": ["circle", "square"]}}
    return {
        "$schema": SCHEMA, "title": title, "width": 520, "config": CONFIG,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "line"}, "encoding": {"x": x, "y": y, "color": colour}},
            {"mark": {"type": "point", "filled": True, "size": 70},
             "encoding": {"x": x, "y": y, "color": colour,
                          "shape": shape,
                          "tooltip": [{"field": "row", "title": "Row"},
                                      {"field": "share", "title": "Share rated expected",
                                       "format": ".0%"}]}},
        ],
    }
