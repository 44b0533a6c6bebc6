"""Measured objectives: what an indicator is, the quarters it is read for, how a figure is shown,
the checks of its fields and whether the objective is on track. Reading each quarter's actual from
the data is ``indicator_actuals.py``; adding, changing and deleting, ``indicator_edits.py``.

**Quarters.** An indicator's baseline is a calendar quarter (federal fiscal quarters fall on the
same dates); a date given for it stands for the quarter holding it. Actuals are computed for the
baseline quarter and each quarter after it that has ended and that the data reach:

- an outcome measure over the 12 months ending on the quarter's last day (the period of each
  point of the outcome overview's trend), for the plan's site, once the data reach that day
  (and, for P1, P4 and S2, which follow children for 12 months after the period, once they
  reach 12 months past it, as the dashboards' default period does), through the dashboards' services
  (``outcomes.services.dashboard_rows.compute_rows``: the engine with its suppression and DQ
  marks); with a group (``race_ethnicity = black``) the measure is computed by that dimension
  and suppressed across its groups, as the overview's breakdown is, and the group's row read;
- a fidelity share proficient: the first observers' submitted ratings of the practice or element
  observed within the quarter at the plan's site (``fidelity.services.dashboards.by_content``);
- workers at fidelity: the worker rule over each worker's observations up to the quarter's end
  (``fidelity.services.dashboards.workers_at_fidelity`` for the site's level);
- a stage: the site's stage in effect on the quarter's last day, numbered 1 (exploration) to 4
  (full implementation);
- an assessment score: the score of the latest fully scored administration of the instrument
  (any version of its key, as the results page's "change since the last time" compares them)
  held within the quarter at the plan's site or a place under it, among the administrations the
  viewer may see (``assessments.services.administrations.visible_administrations``), read as
  the results page shows it (``Score.shown``: percent of the maximum, mean or sum, to one
  place) for the named sub-scale or, without one, the total. A quarter without such an
  administration has no value; an earlier one is not carried forward.

A figure the viewer may not see (a small outcome cell, a fidelity group of fewer than 5 workers
for someone who may not see people) is an actual marked suppressed, without a value.

**On track** (:func:`track`): the latest quarter after the baseline that has a value is compared
with the straight line from the baseline (its quarter's last day and value) to the target (its
date and value), read on that quarter's last day and held at the target after the target date.
It is on track when it is at or beyond the line in the indicator's direction (at or above for
"higher is better", at or below for "lower is better"), off track otherwise. With no baseline
value, or no quarter after the baseline with a value, it is "no data".
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from practicehub.accounts.models import NodeKind, OrgNode
from practicehub.implementation.models import (
    STAGE_ORDER,
    ContentLevel,
    Direction,
    Indicator,
    IndicatorKind,
)
from practicehub.implementation.services.access import InvalidInput
from practicehub.outcomes.engine import contract
from practicehub.outcomes.engine.measures import MEASURES
from practicehub.outcomes.engine.periods import add_months
from practicehub.outcomes.services.formatting import format_value, group_label

ON_TRACK, OFF_TRACK, NO_DATA = "on_track", "off_track", "no_data"
TRACK_LABELS = {ON_TRACK: "On track", OFF_TRACK: "Off track", NO_DATA: "No data"}
# At most this many quarters are computed after the baseline (five years).
MAX_QUARTERS = 20
# The contract's codes of each dimension an indicator may name a group of.
GROUP_CODES: dict[str, tuple[str, ...]] = {
    "race_ethnicity": contract.RACE_ETHNICITY, "age_band": contract.AGE_BANDS,
    "sex": contract.SEX_CODES,
}
OUTCOME_SITES = (NodeKind.STATE, NodeKind.REGION, NodeKind.COUNTY, NodeKind.OFFICE)
# The federal measures that follow their children for 12 months after the period (P1, P4, S2):
# a quarter counts once the data reach 12 months past its end, as the dashboards' default
# period does (``outcomes.services.dashboard_periods.default_period``).
FOLLOWS_A_YEAR = ("P1", "P4", "S2")


# Quarters ------------------------------------------------------------------------------------

def quarter_end(day: datetime.date) -> datetime.date:
    """The last day of the calendar quarter holding ``day``."""
    first_of_next = add_months(datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1), 3)
    return first_of_next - datetime.timedelta(days=1)


def quarter_start(end: datetime.date) -> datetime.date:
    return datetime.date(end.year, (end.month - 1) // 3 * 3 + 1, 1)


def quarter_label(end: datetime.date) -> str:
    return f"{end.year} Q{(end.month - 1) // 3 + 1}"


def quarters_since(baseline_on: datetime.date, until: datetime.date) -> list[datetime.date]:
    """The last days of the baseline quarter and of each quarter after it ending by ``until``."""
    ends: list[datetime.date] = []
    end = quarter_end(baseline_on)
    while end <= until and len(ends) <= MAX_QUARTERS:
        ends.append(end)
        end = quarter_end(end + datetime.timedelta(days=1))
    return ends


# The on-track rule ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Actual:
    quarter: datetime.date  # the quarter's last day
    value: float | None
    suppressed: bool = False
    data_quality: bool = False  # the data behind it are over a data-quality limit (DQ)

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)


def expected_on(day: datetime.date, *, baseline_on: datetime.date, baseline_value: float,
                target_on: datetime.date, target_value: float) -> float:
    """The straight line from the baseline to the target, read on ``day`` (held at the target
    after the target date, at the baseline before the baseline)."""
    start = quarter_end(baseline_on)
    if day >= target_on:
        return target_value
    if day <= start:
        return baseline_value
    share = (day - start).days / (target_on - start).days
    return baseline_value + (target_value - baseline_value) * share


@dataclass(frozen=True)
class Track:
    status: str  # ON_TRACK, OFF_TRACK or NO_DATA
    latest: Actual | None
    expected: float | None

    @property
    def label(self) -> str:
        return TRACK_LABELS[self.status]


def track(actuals: Sequence[Actual], *, baseline_on: datetime.date,
          baseline_value: float | None, target_on: datetime.date, target_value: float,
          direction: str) -> Track:
    """On track, off track or no data, by the rule of the module's docstring."""
    after = [a for a in actuals if a.quarter > quarter_end(baseline_on) and a.value is not None]
    if baseline_value is None or not after:
        return Track(NO_DATA, None, None)
    latest = max(after, key=lambda a: a.quarter)
    assert latest.value is not None
    expected = expected_on(latest.quarter, baseline_on=baseline_on,
                           baseline_value=baseline_value, target_on=target_on,
                           target_value=target_value)
    ahead = latest.value >= expected if direction == Direction.UP else latest.value <= expected
    return Track(ON_TRACK if ahead else OFF_TRACK, latest, expected)


# What an indicator is about ------------------------------------------------------------------

def is_share(indicator: Indicator) -> bool:
    """Whether values are shares (fractions, shown and typed as percents)."""
    if indicator.kind == IndicatorKind.OUTCOME:
        spec = MEASURES.get(indicator.measure)
        return spec is not None and spec.kind == "proportion"
    return indicator.kind in (IndicatorKind.FIDELITY_SHARE, IndicatorKind.WORKERS_AT_FIDELITY)


def scoring_method(indicator: Indicator) -> str:
    """An assessment score's unit: the instrument's ``sum``, ``mean`` or ``percent``."""
    if indicator.kind != IndicatorKind.ASSESSMENT_SCORE or indicator.instrument is None:
        return ""
    return str(indicator.instrument.spec["scoring"]["method"])


def subscale_names(spec: dict[str, Any]) -> dict[str, str]:
    """An instrument's sub-scales by code: its sections, then its groups of sections."""
    return {str(part["code"]): str(part["name"])
            for part in [*spec["sections"], *spec.get("subscales", [])]}


def shown(indicator: Indicator, value: float | None) -> str:
    """A value as the dashboards write it."""
    if value is None:
        return "—"
    if indicator.kind == IndicatorKind.OUTCOME and indicator.measure in MEASURES:
        return format_value(MEASURES[indicator.measure], value)
    if indicator.kind == IndicatorKind.STAGE:
        index = round(value) - 1
        label = STAGE_ORDER[index].label if 0 <= index < len(STAGE_ORDER) else ""
        return f"{value:g} ({label})" if label and value == round(value) else f"{value:.2f}"
    if indicator.kind == IndicatorKind.ASSESSMENT_SCORE:
        return f"{value:.1f}{'%' if scoring_method(indicator) == 'percent' else ''}"
    return f"{value * 100:.1f}%"


def describe(indicator: Indicator) -> str:
    """What the indicator measures, in words."""
    if indicator.kind == IndicatorKind.OUTCOME:
        spec = MEASURES.get(indicator.measure)
        title = spec.title if spec else indicator.measure
        if indicator.dimension:
            return f"{title}: {group_label(indicator.dimension, indicator.dimension_value)}"
        return title
    if indicator.kind == IndicatorKind.FIDELITY_SHARE:
        return (f"Share of {indicator.tool} ratings proficient, "
                f"{indicator.get_content_level_display().lower()} {content_name(indicator)}")
    if indicator.kind == IndicatorKind.WORKERS_AT_FIDELITY:
        return f"Share of workers at fidelity ({indicator.tool})"
    if indicator.kind == IndicatorKind.ASSESSMENT_SCORE:
        instrument = indicator.instrument
        if instrument is None:
            return "Assessment score"
        part = (subscale_names(instrument.spec).get(indicator.subscale, indicator.subscale)
                if indicator.subscale else "total score")
        return f"{instrument.name}: {part}"
    return f"Stage of implementation ({indicator.model_version})"


def content_name(indicator: Indicator) -> str:
    if indicator.tool is None:
        return indicator.content_code
    field = f"{indicator.content_level}__code"
    label = f"{indicator.content_level}__name"
    found = (indicator.tool.behaviors.filter(**{field: indicator.content_code})
             .values_list(label, flat=True).first())
    return str(found) if found else indicator.content_code


# Checks --------------------------------------------------------------------------------------

INDICATOR_FIELDS = ("kind", "measure", "dimension", "dimension_value", "tool", "content_level",
                    "content_code", "model_version", "instrument", "subscale", "baseline_on",
                    "baseline_value", "target_value", "target_on", "direction")


def _check_outcome(node: OrgNode, fields: dict[str, Any]) -> None:
    spec = MEASURES.get(fields["measure"])
    if spec is None:
        raise InvalidInput("measure", f"no outcome measure {fields['measure']!r}; the measures "
                           "are those of docs/outcomes.md §3–§4")
    if node.kind not in OUTCOME_SITES:
        raise InvalidInput("measure", "outcome figures exist for the state, regions, counties "
                           "and offices; this plan's site is none of them")
    if node.kind == NodeKind.OFFICE and not spec.by_office:
        raise InvalidInput("measure", f"{spec.title} has no office breakdown, and this plan's "
                           "site is an office")
    dimension, value = fields["dimension"], fields["dimension_value"]
    if value and not dimension:
        raise InvalidInput("dimension", "name the dimension the group belongs to")
    if dimension:
        allowed = [d for d in (contract.DIMENSIONS if spec.dimensions == "all"
                               else contract.POPULATION_DIMENSIONS) if d in GROUP_CODES]
        if dimension not in allowed:
            raise InvalidInput("dimension", f"{spec.title} can be about a group of "
                               f"{', '.join(allowed)}, not {dimension!r}")
        codes = GROUP_CODES[dimension]
        if value not in codes:
            raise InvalidInput("dimension_value", f"{value!r} is not a {dimension} code of the "
                               f"data contract ({', '.join(codes)})")
    if spec.needs_race and dimension != "race_ethnicity":
        raise InvalidInput("dimension", f"{spec.title} compares race/ethnicity groups: name "
                           "the race_ethnicity group it is about")


def _check_assessment(fields: dict[str, Any]) -> None:
    instrument = fields["instrument"]
    if instrument is None:
        raise InvalidInput("instrument", "name the assessment instrument the score comes from")
    code = fields["subscale"]
    names = subscale_names(instrument.spec)
    if code and code not in names:
        raise InvalidInput("subscale", f"{instrument.name} has no sub-scale {code!r}; its "
                           f"sub-scales are {', '.join(names)} (leave it blank for the total)")


def _check_fidelity(fields: dict[str, Any]) -> None:
    tool = fields["tool"]
    if tool is None:
        raise InvalidInput("tool", "name the observation tool the figure comes from")
    if fields["kind"] != IndicatorKind.FIDELITY_SHARE:
        return
    level, code = fields["content_level"], fields["content_code"]
    if level not in ContentLevel.values:
        raise InvalidInput("content_level", f"must be one of {', '.join(ContentLevel.values)}")
    if not tool.behaviors.filter(**{f"{level}__code": code}).exists():
        codes = sorted(set(tool.behaviors.values_list(f"{level}__code", flat=True)))
        raise InvalidInput("content_code", f"{tool} observes no {level} {code!r} "
                           f"({', '.join(codes)})")


def _check_value(name: str, value: float | None, kind: str, share: bool) -> None:
    if value is None:
        return
    if share and not 0 <= value <= 1:
        raise InvalidInput(name, "must be a percent from 0 to 100")
    if kind == IndicatorKind.STAGE and not 1 <= value <= len(STAGE_ORDER):
        raise InvalidInput(name, f"must be a stage number from 1 to {len(STAGE_ORDER)}")
    if value < 0:
        raise InvalidInput(name, "must not be negative")


def checked(node: OrgNode, fields: dict[str, Any]) -> dict[str, Any]:
    """The indicator's fields, checked and with irrelevant ones cleared; ``InvalidInput`` names
    the first field to fix."""
    fields = {"measure": "", "dimension": "", "dimension_value": "", "tool": None,
              "content_level": "", "content_code": "", "model_version": None,
              "instrument": None, "subscale": "", "baseline_value": None,
              "direction": Direction.UP, **fields}
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], "is not a field of an indicator")
    kind = fields["kind"]
    if kind not in IndicatorKind.values:
        raise InvalidInput("kind", f"must be one of {', '.join(IndicatorKind.values)}")
    if fields["direction"] not in Direction.values:
        raise InvalidInput("direction", f"must be one of {', '.join(Direction.values)}")
    keep = {IndicatorKind.OUTCOME: ("measure", "dimension", "dimension_value"),
            IndicatorKind.FIDELITY_SHARE: ("tool", "content_level", "content_code"),
            IndicatorKind.WORKERS_AT_FIDELITY: ("tool",),
            IndicatorKind.STAGE: ("model_version",),
            IndicatorKind.ASSESSMENT_SCORE: ("instrument", "subscale")}[IndicatorKind(kind)]
    for name, empty in (("measure", ""), ("dimension", ""), ("dimension_value", ""),
                        ("tool", None), ("content_level", ""), ("content_code", ""),
                        ("model_version", None), ("instrument", None), ("subscale", "")):
        if name not in keep:
            fields[name] = empty
    if kind == IndicatorKind.OUTCOME:
        _check_outcome(node, fields)
    elif kind in (IndicatorKind.FIDELITY_SHARE, IndicatorKind.WORKERS_AT_FIDELITY):
        _check_fidelity(fields)
    elif kind == IndicatorKind.ASSESSMENT_SCORE:
        _check_assessment(fields)
    elif fields["model_version"] is None:
        raise InvalidInput("model_version", "name the practice model version whose stages count")
    fields["baseline_on"] = quarter_end(fields["baseline_on"])
    if fields["target_on"] <= fields["baseline_on"]:
        raise InvalidInput("target_on", "must be after the baseline quarter, which ends on "
                           f"{fields['baseline_on']:%Y-%m-%d}")
    probe = Indicator(kind=kind, measure=fields["measure"], instrument=fields["instrument"])
    for name in ("baseline_value", "target_value"):
        _check_value(name, fields[name], kind, is_share(probe))
        if scoring_method(probe) == "percent" and (fields[name] or 0) > 100:
            raise InvalidInput(name, "must be a percent of the maximum score, from 0 to 100")
    return fields


# Changes -------------------------------------------------------------------------------------
