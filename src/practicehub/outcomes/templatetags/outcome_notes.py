"""What goes with an outcome table when it is downloaded: its period, its scope and the
suppression rule it was drawn under (``{% outcome_note as note %}``, then
``{% downloadable "name" note=note %}``)."""

from __future__ import annotations

from django import template
from django.template.context import Context

register = template.Library()

SUPPRESSED = ("Suppression: counts from 1 to 10, and every figure derived from them, are shown "
              "as 'suppressed' (California Health and Human Services de-identification "
              "guidelines); a few other cells are suppressed so that none can be worked out by "
              "subtraction.")
UNSUPPRESSED = ("Unsuppressed figures (analyst role): small counts are shown. Do not publish "
                "them outside your organisation.")
MARKS = ("DQ after a figure: the data behind it are over a data-quality limit (see the "
         "data-quality report).")


@register.simple_tag(takes_context=True)
def outcome_note(context: Context) -> str:
    """The notes of the page's outcome tables, separated by blank lines."""
    selection = context.get("selection")
    parts = []
    if selection is not None:
        parts.append(f"Scope: {selection.place}.")
    if context.get("period_label"):
        parts.append(f"Period: {context['period_label']}.")
    if selection is not None and getattr(selection, "as_of", None):
        parts.append(f"The imported data reach {selection.as_of.isoformat()}.")
    parts.append(UNSUPPRESSED if context.get("unsuppressed") else SUPPRESSED)
    parts.append(MARKS)
    parts.append("Aggregate figures, not records of individual children.")
    return "\n\n".join(parts)
