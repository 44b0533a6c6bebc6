"""The small-group size in page text, read from the rule that hides the groups."""

from __future__ import annotations

from django import template

from practicehub.fidelity.services.access import SMALL_GROUP

register = template.Library()


@register.simple_tag
def small_group() -> int:
    """Groups of fewer workers than this are hidden from those who may not see the workers."""
    return SMALL_GROUP
