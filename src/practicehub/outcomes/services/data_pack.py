"""The county self-assessment data pack: 3 to 5 federal fiscal years of every measure of spec §3
for a county, the state and the peer counties the person picks, and the disparities of spec §4
(rates, disproportionality and disparity by race and ethnicity at entry, in care and at 24
months), as the dashboards compute them.

**One rule for figures.** Each figure is a row of the engine (``dashboard_rows.compute_rows``,
the computation the dashboards' disparities and breakdowns use, cached per import) for the
place's scope and the federal year: the same row ``practicehub outcomes compute`` gives for that
measure, county (or the whole state), group and period, with its §1a DQ mark.

**Years.** The latest year is the dashboards' default period (the latest federal year whose
children the data follow for 12 months after it, so P1, P4 and S2 are complete); the years
before it follow, oldest first.

**Suppression.** Outcome figures are aggregates. The county must be one the person's outcome
scope holds (``access.outcome_scope``; another is ``OutOfScope``, answered 404). The state's and
peer counties' figures are what a self-assessment compares with, so everyone may read them, but
always with the §5 suppression, unless the person's scope holds that place (the state: a
statewide scope) and a role grants ``outcomes.unsuppressed`` there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from practicehub.core.errors import Located, Refused
from practicehub.outcomes.engine.measures import MEASURES, MeasureSpec
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.services.access import OutcomeScope
from practicehub.outcomes.services.dashboard_data import (
    DashboardData,
    as_of_date,
    counties_in_data,
)
from practicehub.outcomes.services.dashboard_periods import default_period, federal_code
from practicehub.outcomes.services.dashboard_rows import OVERVIEW_MEASURES, compute_rows
from practicehub.outcomes.services.dashboard_selection import OutOfScope, Selection
from practicehub.outcomes.services.disparities_page import STAGE_TITLES, STAGES
from practicehub.outcomes.services.formatting import Figure, county_name, race_label

YEAR_CHOICES = (3, 4, 5)
# Each place costs two engine computations a year (about 3 s for 5 years, cold), read in the
# request: a pack compares at most this many peers.
MAX_PEERS = 6
DEFAULT_YEARS = 5
STATE = "state"
STATE_NAME = "California (all counties)"
DISPARITY_KINDS = ("rate_per_1000", "disproportionality", "disparity")
DISPARITY_MEASURES = tuple(f"{kind}_{stage}" for stage in STAGES for kind in DISPARITY_KINDS)


def refused(field: str, message: str) -> Refused:
    return Refused(f"{field}: {message}", [Located(message, field=field)])


@dataclass(frozen=True)
class Place:
    code: str  # a county's FIPS code, or STATE
    name: str
    role: str  # "county", "state" or "peer"
    suppress: bool

    def selection(self, period: Period) -> Selection:
        if self.code == STATE:
            return Selection(OutcomeScope(True, (), not self.suppress), None, period, None, ())
        return Selection(OutcomeScope(False, (self.code,), not self.suppress), self.code,
                         period, None, (self.code,))


@dataclass(frozen=True)
class Asked:
    county: Place
    state: Place
    years: int
    peers: tuple[Place, ...]
    peer_choices: tuple[tuple[str, str], ...]  # the peer picker's (code, name)
    county_choices: tuple[tuple[str, str], ...]

    @property
    def places(self) -> tuple[Place, ...]:
        return (self.county, self.state, *self.peers)


def _years(text: str) -> int:
    if not text.strip():
        return DEFAULT_YEARS
    try:
        years = int(text)
    except ValueError:
        years = 0
    if years not in YEAR_CHOICES:
        raise refused("years", f"must be 3, 4 or 5 (years of data in the pack), not {text!r}")
    return years


def asked(data: DashboardData, scope: OutcomeScope, county: str, years: str,
          peers: Sequence[str]) -> Asked:
    """Read the county (one of the person's scope; by default the first), the number of years
    and the peer counties asked for. ``OutOfScope`` for a county outside the scope, ``Refused``
    (naming ``years`` or ``peer``) for input that cannot be read."""
    in_data = counties_in_data(data)
    choices = in_data if scope.statewide else scope.counties
    if county and county not in choices:
        raise OutOfScope(county)
    if not choices:
        raise OutOfScope(county)
    code = county or choices[0]
    count = _years(years)
    peer_choices = tuple((c, county_name(c)) for c in in_data if c != code)
    known = dict(peer_choices)
    chosen: list[Place] = []
    asked_peers = list(dict.fromkeys(p.strip() for p in peers if p.strip()))
    if len(asked_peers) > MAX_PEERS:
        raise refused("peer", f"pick at most {MAX_PEERS} peer counties, not "
                      f"{len(asked_peers)}")
    for peer in asked_peers:
        if peer == code:
            raise refused("peer", f"{county_name(code)} is the county of the pack; pick other "
                          "counties as its peers")
        if peer not in known:
            raise refused("peer", f"no county {peer!r} in the imported data; peers are "
                          "counties the data hold (FIPS codes such as 06019)")
        sees = scope.statewide or peer in scope.counties
        chosen.append(Place(peer, known[peer], "peer", not (sees and scope.unsuppressed)))
    place = Place(code, county_name(code), "county", not scope.unsuppressed)
    state = Place(STATE, STATE_NAME, "state", not (scope.statewide and scope.unsuppressed))
    return Asked(place, state, count, tuple(chosen), peer_choices,
                 tuple((c, county_name(c)) for c in choices))


@dataclass(frozen=True)
class MeasureRow:
    place: Place
    figures: tuple[Figure, ...]  # one per year


@dataclass(frozen=True)
class MeasureTable:
    spec: MeasureSpec
    rows: tuple[MeasureRow, ...]


@dataclass(frozen=True)
class DisparityRow:
    place: Place
    race: str  # the contract's code
    rates: tuple[Figure, ...]  # one per year
    disproportionality: tuple[Figure, ...]
    disparity: tuple[Figure, ...]

    @property
    def race_label(self) -> str:
        return race_label(self.race)

    @property
    def cells(self) -> list[tuple[Figure, Figure, Figure]]:
        """Each year's rate, disproportionality and disparity."""
        return list(zip(self.rates, self.disproportionality, self.disparity, strict=True))


@dataclass(frozen=True)
class StageTable:
    stage: str
    title: str
    rows: tuple[DisparityRow, ...]


@dataclass(frozen=True)
class DataPack:
    asked: Asked
    periods: tuple[Period, ...]  # oldest first
    as_of: date | None
    measures: tuple[MeasureTable, ...]
    stages: tuple[StageTable, ...]

    @property
    def county(self) -> Place:
        return self.asked.county


def year_label(period: Period) -> str:
    """``FFY 2024 (2023-10-01 to 2024-09-30)``."""
    return f"FFY {period.end.year} ({period.start.isoformat()} to {period.end.isoformat()})"


def year_code(period: Period) -> str:
    return federal_code(period) or str(period)


def periods_for(data: DashboardData, years: int) -> tuple[Period, ...]:
    latest = default_period(as_of_date(data) or date.today())
    return tuple(Period(date(latest.start.year - back, 10, 1), date(latest.end.year - back, 9, 30))
                 for back in range(years - 1, -1, -1))


def _figure(rows: Sequence[ResultRow], measure: str, race: str | None = None) -> Figure:
    found = next((row for row in rows if row.measure == measure
                  and (race is None or row.group("race_ethnicity") == race)), None)
    return Figure(MEASURES[measure], found)


def _measures(data: DashboardData, places: Sequence[Place],
              periods: Sequence[Period]) -> tuple[MeasureTable, ...]:
    rows = {(place.code, period): compute_rows(data, place.selection(period), period,
                                               OVERVIEW_MEASURES)
            for place in places for period in periods}
    return tuple(MeasureTable(MEASURES[m], tuple(
        MeasureRow(place, tuple(_figure(rows[place.code, p], m) for p in periods))
        for place in places)) for m in OVERVIEW_MEASURES)


def _stages(data: DashboardData, places: Sequence[Place],
            periods: Sequence[Period]) -> tuple[StageTable, ...]:
    rows = {(place.code, period): compute_rows(data, place.selection(period), period,
                                               DISPARITY_MEASURES, ("race_ethnicity",))
            for place in places for period in periods}
    tables = []
    for stage in STAGES:
        found: list[DisparityRow] = []
        for place in places:
            races = dict.fromkeys(
                str(row.group("race_ethnicity")) for period in periods
                for row in rows[place.code, period] if row.measure == f"rate_per_1000_{stage}"
                and row.group("race_ethnicity"))
            for race in races:
                per_year = [rows[place.code, p] for p in periods]
                found.append(DisparityRow(place, race, *(
                    tuple(_figure(r, f"{kind}_{stage}", race) for r in per_year)
                    for kind in DISPARITY_KINDS)))
        tables.append(StageTable(stage, STAGE_TITLES[stage], tuple(found)))
    return tuple(tables)


def build(data: DashboardData, request: Asked) -> DataPack:
    """Every figure of the pack (see the module's docstring)."""
    periods = periods_for(data, request.years)
    places = request.places
    return DataPack(request, periods, as_of_date(data), _measures(data, places, periods),
                    _stages(data, places, periods))
