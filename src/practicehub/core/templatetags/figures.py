"""How figures read on every page: a share is a whole percent, an interval is two percents."""

from __future__ import annotations

from django import template

register = template.Library()


def as_percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100):d}%"


@register.filter
def percent(value: float | None) -> str:
    """A proportion (0.62) as people read it: 62%."""
    return as_percent(value)


@register.filter
def percent_range(interval: tuple[float, float] | None) -> str:
    """A 95% interval of a proportion, in the same unit as the share beside it: 60–65%."""
    if interval is None:
        return "—"
    low, high = interval
    return f"{round(low * 100):d}–{round(high * 100):d}%"
