"""Vega-Lite charts drawn on the server: SVG for pages, PNG and PDF for downloads and reports.

A chart is one pure function returning a Vega-Lite spec; this module is the only place that draws
one. Each drawing is kept once per spec and format in the shared cache (the same spec, the same
figures), since drawing one takes vl-convert about 0.1 s of CPU."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import vl_convert
from django.utils.safestring import SafeString

from practicehub.core.services.kept import kept

CACHE_SECONDS = 24 * 3600
DRAWN_BY = version("vl-convert-python")  # part of the key: another version may draw otherwise
PNG_SCALE = 2  # twice the page size: sharp on a slide or in print


def _drawn(kind: str, spec: dict[str, Any], draw: Callable[[dict[str, Any]], Any]) -> Any:
    text = json.dumps(spec, sort_keys=True, default=str)
    key = f"vega-{kind}:" + hashlib.sha256(f"{DRAWN_BY}{text}".encode()).hexdigest()
    return kept(key, CACHE_SECONDS, lambda: draw(spec))


def spec_to_svg(spec: dict[str, Any]) -> str:
    """The SVG vl-convert draws for ``spec`` (kept under a hash of the spec)."""
    return str(_drawn("svg", spec, vl_convert.vegalite_to_svg))


# Vega draws a layer with no data (every point of it suppressed, say) as an empty mark container
# with the role of a symbol and no label, which screen readers would announce as an unnamed
# image (axe: svg-img-alt). Nothing is drawn there, so it is hidden from them.
_EMPTY_MARKS = re.compile(
    r'role="graphics-symbol" (aria-roledescription="[a-z ]+ mark container")/>')


def svg(spec: dict[str, Any]) -> str:
    """The chart as SVG text (what a page shows)."""
    return _EMPTY_MARKS.sub(r'aria-hidden="true" \1/>', spec_to_svg(spec))


def png(spec: dict[str, Any]) -> bytes:
    """The chart as a PNG image at twice the page's size."""
    return bytes(_drawn("png", spec, lambda s: vl_convert.vegalite_to_png(s, scale=PNG_SCALE)))


def pdf(spec: dict[str, Any]) -> bytes:
    """The chart as a one-page vector PDF (for reports)."""
    return bytes(_drawn("pdf", spec, vl_convert.vegalite_to_pdf))


class Drawn(SafeString):
    """A chart's SVG markup for a page, carrying the spec it was drawn from, so the page's
    download links can hand out the same chart as PNG or SVG (``{% chart_downloads %}``)."""

    spec: dict[str, Any]

    def __new__(cls, markup: str, spec: dict[str, Any]) -> Drawn:
        drawn = super().__new__(cls, markup)
        drawn.spec = spec
        return drawn


def drawn(spec: dict[str, Any], *, hidden: bool = True) -> Drawn:
    """The chart as inline SVG for a page (no JavaScript). ``hidden``: the SVG is hidden from
    assistive technology, since the figure around it names the chart and the table beside it
    has the numbers."""
    markup = svg(spec)
    if hidden:
        markup = markup.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return Drawn(markup, spec)


def title_of(spec: dict[str, Any]) -> str:
    title = spec.get("title") or ""
    if isinstance(title, dict):
        title = title.get("text") or ""
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return str(title)


# Room on a category axis for a whole label (Vega-Lite cuts labels past 180 px with "…"): a
# unit's or provider's full name, as the table beside the chart writes it, in lines of at most
# LABEL_LINE letters.
LABEL_LIMIT = 320
LABEL_LINE = 40
ROW_STEP = 20  # pixels per bar row; more when a label takes two lines or more


def nice_top(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 × a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** _floor_log10(value)
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value:
            return step * power
    return 10 * power


def _floor_log10(value: float) -> int:
    exponent = 0
    while value >= 10:
        value, exponent = value / 10, exponent + 1
    while value < 1:
        value, exponent = value * 10, exponent - 1
    return exponent


def wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` letters, broken between words (a text mark draws a
    list as lines), so a long label is shown whole instead of cut off."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]




def category_axis(labels: list[str]) -> tuple[dict[str, Any], dict[str, int]]:
    """A bar chart's category axis that writes every label whole (a long one in lines), and the
    chart's ``height`` step that leaves each row room for its lines."""
    axis: dict[str, Any] = {"labelLimit": LABEL_LIMIT}
    lines = {label: wrapped(label, LABEL_LINE) for label in labels}
    long = {label: parts for label, parts in lines.items() if len(parts) > 1}
    if not long:
        return axis, {"step": ROW_STEP}
    text, offset = "datum.label", "0"
    for label, parts in long.items():
        test = f"datum.label == {json.dumps(label)}"
        text = f"{test} ? {json.dumps(parts)} : {text}"
        # Lines run down from the first, so a label of n lines moves up by half of n - 1.
        offset = f"{test} ? {-6 * (len(parts) - 1)} : {offset}"
    most = max(len(parts) for parts in long.values())
    return {**axis, "labelExpr": text, "labelLineHeight": 12, "labelBaseline": "middle",
            "labelOffset": {"expr": offset}}, {"step": max(ROW_STEP, 12 * most + 8)}
