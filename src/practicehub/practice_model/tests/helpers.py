"""A small valid model file to break in tests, and a count of every practice model row."""

from __future__ import annotations

from django.apps import apps

SMALL_MODEL = """\
format: 1
key: small
name: Small Model
version: "1"
status: published
framework:
  name: Partnership
profile_levels:
  - code: high
    label: High
    rank: 2
  - code: low
    label: Low
    rank: 1
values:
  - code: family
    name: Family
    principles:
      - code: family.1
        text: Families know their lives best.
practices:
  - code: EE
    name: Exploration
  - code: PF
    name: Power of Family
elements:
  - code: inquiry
    name: Inquiry
    practice: EE
  - code: voice
    name: Voice
    practice: PF
behaviors:
  - code: EE-1
    set: practice
    practice: EE
    element: inquiry
    text: Asks about strengths first.
    wording: local
    descriptors:
      high: Always asks.
      low: Never asks.
  - code: PF-1
    set: practice
    practice: PF
    element: voice
    text: Records the family's own words.
    wording: local
    descriptors:
      high: Quotes the family.
      low: Leaves the family out.
  - code: LB-1
    set: leadership
    text: Models the practice.
    wording: local
capacity_areas:
  - code: training
    name: Training
    standards:
      - code: training.1
        text: Everyone is coached.
systemic_issues:
  - code: SI-1
    name: Weak engagement
    practices: [EE]
"""


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """The 1-based line of the ``occurrence``-th line containing ``fragment``."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return found[occurrence - 1]


def row_count() -> int:
    """All rows of every practice model table, the M2M links included."""
    config = apps.get_app_config("practice_model")
    total = 0
    for model in config.get_models(include_auto_created=True):
        total += model._default_manager.count()
    return total
