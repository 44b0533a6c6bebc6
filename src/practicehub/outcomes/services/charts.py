"""Server-side SVG for the outcome dashboards: line charts (trends, time-to-permanency curves)
and horizontal bar charts, drawn as plain SVG so pages need no JavaScript.

Each SVG is an image with a title and a description (``role="img"``); the page puts a table with
the same numbers below it. Series differ by dash pattern, marker shape and a label at the end of
the line as well as by colour, so colour is never the only cue; every colour has at least 4.5:1
contrast on white. Every drawn value (a marker, a bar, a line without markers) names the table
row it comes from in ``data-row``, so a test can check the chart shows no row its table hides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# USWDS system colours, dark enough for text contrast on white.
PALETTE = ("#005ea2", "#b50909", "#1b1b1b", "#00756a", "#6b4ea8", "#8a5a00", "#3d4551",
           "#c2185b", "#2e6276")
DASHES = ("", "6 3", "2 3", "9 3 2 3", "12 4", "4 2 1 2", "1 2", "8 2 2 2 2 2", "3 5")
MARKERS = ("circle", "square", "triangle", "diamond")
REFERENCE_COLOUR = "#565c65"
WIDTH, HEIGHT = 780, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 280, 20, 44
LABEL_GAP = 13  # px between stacked end-of-line labels, so they do not overlap

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


@dataclass(frozen=True)
class Frame:
    """Plot area and value ranges, mapping data to pixels."""

    x_min: float
    x_max: float
    y_min: float
    y_max: float
    width: int = WIDTH
    height: int = HEIGHT

    def x(self, value: float) -> float:
        span = (self.x_max - self.x_min) or 1.0
        return LEFT + (value - self.x_min) / span * (self.width - LEFT - RIGHT)

    def y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return self.height - BOTTOM - (value - self.y_min) / span * (self.height - TOP - BOTTOM)


def _open_svg(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" class="ph-chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 12,
          colour: str = "#1b1b1b") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{colour}" font-family="Source Sans Pro, Helvetica, Arial, sans-serif">'
            f"{escape(text)}</text>")


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


def _tick_count(top: float) -> int:
    """Ticks that land on round numbers: 2 splits in four (0.5 steps), the rest in five."""
    mantissa = top / 10.0 ** _floor_log10(top) if top > 0 else 1.0
    return 4 if abs(mantissa - 2.0) < 1e-9 else 5


def _y_axis(frame: Frame, fmt: Format) -> list[str]:
    parts, ticks = [], _tick_count(frame.y_max - frame.y_min)
    for index in range(ticks + 1):
        value = frame.y_min + (frame.y_max - frame.y_min) * index / ticks
        y = frame.y(value)
        parts.append(f'<line x1="{LEFT}" x2="{frame.width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     'stroke="#dfe1e2" stroke-width="1"/>')
        parts.append(_text(LEFT - 6, y + 4, fmt(value), "end", 11))
    return parts


def _x_axis(frame: Frame, ticks: Sequence[tuple[float, str]], title: str) -> list[str]:
    base = frame.height - BOTTOM
    parts = [f'<line x1="{LEFT}" x2="{frame.width - RIGHT}" y1="{base}" y2="{base}" '
             'stroke="#1b1b1b" stroke-width="1"/>']
    for value, label in ticks:
        parts.append(_text(frame.x(value), base + 16, label, "middle", 11))
    parts.append(_text((LEFT + frame.width - RIGHT) / 2, frame.height - 6, title, "middle", 12))
    return parts


def _segments(series: Series) -> list[list[tuple[float, float, str]]]:
    """Runs of consecutive points with a value, each with its table row; a missing value breaks
    the line."""
    runs: list[list[tuple[float, float, str]]] = [[]]
    for index, (x, y) in enumerate(series.points):
        if y is None:
            runs.append([])
        else:
            runs[-1].append((x, y, series.row_of(index)))
    return [run for run in runs if run]


def _path(frame: Frame, run: list[tuple[float, float, str]], step: bool) -> str:
    commands = [f"M{frame.x(run[0][0]):.1f},{frame.y(run[0][1]):.1f}"]
    for x, y, _ in run[1:]:
        if step:
            commands.append(f"H{frame.x(x):.1f}V{frame.y(y):.1f}")
        else:
            commands.append(f"L{frame.x(x):.1f},{frame.y(y):.1f}")
    return "".join(commands)


def _row(row: str) -> str:
    return f' data-row="{escape(row)}"'


def _marker(shape: str, x: float, y: float, colour: str, row: str) -> str:
    if shape == "square":
        return (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"'
                f"{_row(row)}/>")
    if shape == "triangle":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} '
                f'{x - 5:.1f},{y + 4:.1f}" fill="{colour}"{_row(row)}/>')
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
                f'{x - 5:.1f},{y:.1f}" fill="{colour}"{_row(row)}/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"{_row(row)}/>'


def _spread(positions: list[tuple[float, str, str]], low: float, high: float
            ) -> list[tuple[float, str, str]]:
    """End-of-line labels pushed apart so each stays readable."""
    placed: list[tuple[float, str, str]] = []
    for y, text, colour in sorted(positions):
        y = max(y, placed[-1][0] + LABEL_GAP) if placed else y
        placed.append((min(y, high), text, colour))
    return [(max(y, low), text, colour) for y, text, colour in placed]


def _series_parts(frame: Frame, index: int, series: Series, markers: bool) -> list[str]:
    colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    # Without markers the line itself is the drawn value, so it names the series' row.
    line_row = "" if markers else _row(series.label)
    parts = [f'<path d="{_path(frame, run, series.step)}" fill="none" stroke="{colour}" '
             f'stroke-width="2.5"{dash_attr}{line_row}/>' for run in _segments(series)]
    if markers:
        shape = MARKERS[index % len(MARKERS)]
        parts += [_marker(shape, frame.x(x), frame.y(y), colour, row)
                  for run in _segments(series) for x, y, row in run]
    return parts


def _reference_parts(frame: Frame, reference: ReferenceLine) -> list[str]:
    y = frame.y(reference.value)
    return [
        f'<line x1="{LEFT}" x2="{frame.width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
        f'stroke="{REFERENCE_COLOUR}" stroke-width="2" stroke-dasharray="8 4"/>',
    ]


def line_chart(
    chart_id: str, title: str, description: str, series: Sequence[Series], *,
    x_ticks: Sequence[tuple[float, str]], x_title: str, y_format: Format,
    reference: ReferenceLine | None = None, y_max: float | None = None, markers: bool = True,
) -> SafeString:
    """Lines of one or more series over a shared x axis, with an optional horizontal reference."""
    xs = [x for s in series for x, _ in s.points] or [0.0, 1.0]
    ys = [y for s in series for _, y in s.points if y is not None]
    top = y_max if y_max is not None else nice_top(max([*ys, reference.value if reference else 0.0,
                                                        0.0]) * 1.1)
    frame = Frame(min(xs), max(xs), 0.0, top)
    parts = _open_svg(chart_id, title, description, frame.width, frame.height)
    parts += _y_axis(frame, y_format) + _x_axis(frame, x_ticks, x_title)
    labels: list[tuple[float, str, str]] = []
    if reference is not None:
        parts += _reference_parts(frame, reference)
        labels.append((frame.y(reference.value) + 4, reference.label, REFERENCE_COLOUR))
    for index, one in enumerate(series):
        parts += _series_parts(frame, index, one, markers)
        shown = [point for point in one.points if point[1] is not None]
        if shown:
            colour = PALETTE[index % len(PALETTE)]
            labels.append((frame.y(shown[-1][1] or 0.0) + 4, one.label, colour))
    for y, text, colour in _spread(labels, TOP + 8, frame.height - BOTTOM):
        parts.append(_text(frame.width - RIGHT + 8, y, text, "start", 12, colour))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text is escaped above


def bar_chart(
    chart_id: str, title: str, description: str, bars: Sequence[Bar], *, value_format: Format,
    axis_title: str, reference: ReferenceLine | None = None,
) -> SafeString:
    """Horizontal bars, one per group, the value written at each bar's end."""
    row, label_width, note_width = 26, 270, 210
    width = label_width + 260 + note_width
    height = TOP + row * max(len(bars), 1) + BOTTOM
    values = [bar.value for bar in bars if bar.value is not None]
    top = nice_top(max([*values, reference.value if reference else 0.0, 0.0]) * 1.05)

    def x(value: float) -> float:
        return label_width + value / top * 260

    parts = _open_svg(chart_id, title, description, width, height)
    for index, bar in enumerate(bars):
        y = TOP + index * row
        parts.append(_text(label_width - 8, y + 16, bar.label, "end"))
        end = label_width
        if bar.value is not None:
            end = int(x(bar.value))
            parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{end - label_width}" '
                         f'height="{row - 8}" fill="{PALETTE[0]}"{_row(bar.label)}/>')
        parts.append(_text(end + 6, y + 16, bar.note))
    base = TOP + row * max(len(bars), 1)
    parts.append(f'<line x1="{label_width}" x2="{label_width + 260}" y1="{base}" y2="{base}" '
                 'stroke="#1b1b1b"/>')
    ticks = _tick_count(top)
    for tick in range(ticks + 1):
        value = top * tick / ticks
        parts.append(_text(x(value), base + 16, value_format(value), "middle", 11))
    parts.append(_text(label_width + 130, base + 36, axis_title, "middle"))
    if reference is not None:
        rx = x(reference.value)
        parts.append(f'<line x1="{rx:.1f}" x2="{rx:.1f}" y1="{TOP - 6}" y2="{base}" '
                     f'stroke="{REFERENCE_COLOUR}" stroke-width="2" stroke-dasharray="6 3"/>')
        parts.append(_text(rx, TOP - 8, reference.label, "middle", 11, REFERENCE_COLOUR))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text is escaped above
