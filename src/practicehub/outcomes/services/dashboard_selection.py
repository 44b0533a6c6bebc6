"""What a dashboard page shows: the county, office, period and breakdown asked for, within the
user's scope.

Views pass the user's request through :func:`select` (which refuses counties outside the user's
scope) and call one builder per page (overview_page, disparities_page, long_stays_page,
permanency_page).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.services.access import OutcomeScope
from practicehub.outcomes.services.dashboard_data import (
    DashboardData,
    as_of_date,
    counties_in_data,
    offices_in_data,
)
from practicehub.outcomes.services.dashboard_periods import (
    default_period,
    federal_code,
    federal_label,
    period_asked,
    periods_held,
)
from practicehub.outcomes.services.formatting import county_name

# The overview's breakdowns, in the picker's order (the engine's grouping dimensions).
GROUPINGS = {"county": "County", "office": "Office", "race_ethnicity": "Race and ethnicity",
             "age_band": "Age band", "sex": "Sex"}

class OutOfScope(LookupError):
    """A county the user may not see (the view answers 404)."""

@dataclass(frozen=True)
class Selection:
    """The scope, county and period one page shows."""

    scope: OutcomeScope
    county: str | None  # one county picked, else every county of the scope
    period: Period
    as_of: date | None
    counties: tuple[str, ...]  # the county picker's choices
    period_error: str = ""
    office: str | None = None  # one office of the county picked, else the whole county
    offices: tuple[tuple[str, str], ...] = ()  # the office picker's (code, name) choices
    grouping: str = ""  # the overview's breakdown: one of GROUPINGS
    periods: tuple[tuple[str, str], ...] = ()  # the period picker's (code, label) choices
    custom: bool = False  # the period was given as two dates

    @property
    def suppress(self) -> bool:
        return not self.scope.unsuppressed

    def engine_scope(self) -> dict[str, tuple[str, ...]] | None:
        if self.county and self.office:
            return {"county": (self.county,), "office": (self.office,)}
        if self.county:
            return {"county": (self.county,)}
        return self.scope.engine_scope()

    @property
    def place(self) -> str:
        if self.county and self.office:
            return f"{dict(self.offices).get(self.office, self.office)}, " \
                   f"{county_name(self.county)}"
        if self.county:
            return county_name(self.county)
        if self.scope.statewide:
            return "California (all counties)"
        return ", ".join(county_name(code) for code in self.scope.counties)

    def county_choices(self) -> list[tuple[str, str]]:
        return [(code, county_name(code)) for code in self.counties]

    def grouping_choices(self) -> list[tuple[str, str]]:
        """The breakdowns that make sense here: by county only across counties, by office only
        within one county and not within one office."""
        return [(key, label) for key, label in GROUPINGS.items()
                if not (key == "county" and self.county)
                and not (key == "office" and (not self.county or self.office))]

    @property
    def grouping_label(self) -> str:
        return GROUPINGS.get(self.grouping, "")

    def key(self) -> tuple[object, ...]:
        return (self.engine_scope(), str(self.period), self.suppress)

def select(data: DashboardData, scope: OutcomeScope, county: str = "", period: str = "", *,
           start: str = "", end: str = "", office: str = "", by: str = "") -> Selection:
    """Read the county, office, period (a federal code, or ``start`` and ``end`` dates) and
    grouping asked for; a county or office outside ``scope`` raises OutOfScope."""
    choices = counties_in_data(data) if scope.statewide else scope.counties
    if county and county not in choices:
        raise OutOfScope(county)
    if not county and len(choices) == 1:
        county = choices[0]
    offices = offices_in_data(data, county) if county else ()
    if office and office not in dict(offices):
        raise OutOfScope(office)
    as_of = as_of_date(data)
    default = default_period(as_of or date.today())
    chosen, error, custom = period_asked(period, start, end, default)
    selection = Selection(scope, county or None, chosen, as_of, tuple(choices), error,
                          office or None, offices, "", periods_held(data, as_of), custom)
    allowed = dict(selection.grouping_choices())
    grouping = by if by in allowed else next(iter(allowed))
    return replace(selection, grouping=grouping)

def context_notes(selection: Selection) -> dict[str, Any]:
    """What every dashboard page says about its figures."""
    code = federal_code(selection.period)
    held = code is not None and code in dict(selection.periods) and not selection.custom
    return {"selection": selection, "period_label": federal_label(selection.period),
            "period_value": code if held else "custom",
            "custom_start": "" if held else selection.period.start.isoformat(),
            "custom_end": "" if held else selection.period.end.isoformat(),
            "unsuppressed": selection.scope.unsuppressed}
