"""Run-chart signals (the usual rules in quality improvement):

- shift: six or more consecutive points on the same side of the median; points on the median
  neither count nor break the run;
- trend: five or more consecutive points all going up or all going down; a point equal to the
  one before neither counts nor breaks the run.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

SHIFT_LENGTH = 6
TREND_LENGTH = 5


@dataclass(frozen=True)
class Signal:
    kind: str  # "shift" or "trend"
    direction: str  # "above"/"below" for shifts, "up"/"down" for trends
    start: int  # index of the first point of the run
    end: int  # index of the last point of the run


@dataclass(frozen=True)
class RunChart:
    median: float | None
    signals: tuple[Signal, ...]

    def flags(self, count: int) -> list[str]:
        """Per point, the signal it belongs to ("" when none), for tables beside the chart."""
        marked = [""] * count
        for signal in self.signals:
            for index in range(signal.start, signal.end + 1):
                marked[index] = (f"{marked[index]}, " if marked[index] else "") + signal.kind
        return marked


def _shifts(values: Sequence[float], median: float) -> list[Signal]:
    found: list[Signal] = []
    side, start, length, last = "", 0, 0, 0
    for index, value in enumerate(values):
        if value == median:
            continue
        here = "above" if value > median else "below"
        if here != side:
            if length >= SHIFT_LENGTH:
                found.append(Signal("shift", side, start, last))
            side, start, length = here, index, 0
        length, last = length + 1, index
    if length >= SHIFT_LENGTH:
        found.append(Signal("shift", side, start, last))
    return found


def _trends(values: Sequence[float]) -> list[Signal]:
    kept: list[tuple[int, float]] = []
    for index, value in enumerate(values):
        if not kept or value != kept[-1][1]:
            kept.append((index, value))
    found: list[Signal] = []
    direction, start = "", 0
    for position in range(1, len(kept) + 1):
        here = ""
        if position < len(kept):
            here = "up" if kept[position][1] > kept[position - 1][1] else "down"
        if here != direction:
            # ``position - start`` points moved in ``direction`` before this one.
            if direction and position - start >= TREND_LENGTH:
                found.append(Signal("trend", direction, kept[start][0], kept[position - 1][0]))
            direction, start = here, position - 1
    return found


def run_chart(values: Sequence[float]) -> RunChart:
    if not values:
        return RunChart(None, ())
    median = float(statistics.median(values))
    return RunChart(median, tuple(_shifts(values, median) + _trends(values)))
