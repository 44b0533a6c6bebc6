"""The chart layer draws one spec as SVG, PNG and PDF, each a file a viewer opens."""

from __future__ import annotations

from typing import Any

from django.test import SimpleTestCase

from practicehub.core import vega

SPEC: dict[str, Any] = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "title": "Visits by month",
    "data": {"values": [{"month": "Jan", "visits": 3}, {"month": "Feb", "visits": 5}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "month", "type": "nominal"},
        "y": {"field": "visits", "type": "quantitative"},
    },
}


class ChartFormatsTests(SimpleTestCase):
    def test_the_svg_carries_the_title(self) -> None:
        drawn = vega.svg(SPEC)
        assert drawn.lstrip().startswith("<svg")
        assert "Visits by month" in drawn

    def test_the_png_is_an_image_at_twice_the_page_size(self) -> None:
        drawn = vega.png(SPEC)
        assert drawn[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(drawn[16:20], "big")
        svg_width = float(vega.svg(SPEC).split('width="', 1)[1].split('"', 1)[0])
        assert width == round(svg_width * vega.PNG_SCALE)

    def test_the_pdf_is_a_pdf_document(self) -> None:
        drawn = vega.pdf(SPEC)
        assert drawn.startswith(b"%PDF-")
        assert b"%%EOF" in drawn[-64:]
