"""The outcome dashboards' rules: which counties and periods a page shows, which measures it
computes, and the figures and charts it draws.

Views pass the user's request through :func:`select` (which refuses counties outside the user's
scope) and call one builder per page. Results are cached per imported database file (its
modification time and size are part of the key), so a new import is seen at once and repeated
views only read the cache: a trend needs a computation per period and measure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from django.utils.safestring import SafeString

from practicehub.outcomes.data import quality, store
from practicehub.outcomes.engine import computing, suppression, time_to_permanency
from practicehub.outcomes.engine.counties import COUNTIES
from practicehub.outcomes.engine.measures import MEASURES, MeasureSpec
from practicehub.outcomes.engine.periods import Period, PeriodError, parse_period, rolling_periods
from practicehub.outcomes.engine.results import DQ, ResultRow
from practicehub.outcomes.services import charts, national, reading
from practicehub.outcomes.services.access import OutcomeScope, database_path

OVERVIEW_MEASURES = (
    "entry_rate", "permanency_12m_entries", "permanency_12m_12_23", "permanency_12m_24plus",
    "reentry_12m", "placement_moves_per_1000_days", "maltreatment_in_care_per_100k_days",
    "maltreatment_recurrence_12m", "in_care_long_term_24m", "in_care_long_term_36m",
)
# The entry rate needs population figures, which exist by county only; maltreatment reports
# carry no office, so recurrence has no office breakdown.
OFFICELESS_MEASURES = frozenset({"entry_rate", "maltreatment_recurrence_12m"})
TREND_PERIODS = 8
TREND_STEP_MONTHS = 3
STAGES = ("entries", "in_care", "long_term_24m")
STAGE_TITLES = {"entries": "Children entering care", "in_care": "Children in care",
                "long_term_24m": "Children in care 24 months or more"}
LONG_STAY_MEASURES = ("in_care_long_term_24m", "in_care_long_term_36m")
RACE_LABELS = {
    "aian": "American Indian or Alaska Native", "asian": "Asian",
    "black": "Black or African American", "hispanic": "Hispanic (of any race)",
    "nhopi": "Native Hawaiian or Other Pacific Islander", "white": "White",
    "two_or_more": "Two or more races", "unknown": "Unknown",
}
COUNTY_NAMES = {code: name for code, name, _ in COUNTIES}
# The overview's breakdowns, in the picker's order (the engine's grouping dimensions).
GROUPINGS = {"county": "County", "office": "Office", "race_ethnicity": "Race and ethnicity",
             "age_band": "Age band", "sex": "Sex"}
SUPPRESSED = "suppressed"
NO_VALUE = "no value"
# A horizon later than the data reach for the cohort's earliest entrants.
NOT_YET_OBSERVED = "not yet observed"
CACHE_SECONDS = 24 * 3600

T = TypeVar("T")


class OutOfScope(LookupError):
    """A county the user may not see (the view answers 404)."""


# --- data and caching ------------------------------------------------------------------------


@dataclass
class DashboardData:
    """The imported outcome database and a key that changes whenever it is re-imported."""

    runner: store.OutcomeData
    version: str

    def cached(self, parts: Sequence[object], build: Callable[[], T]) -> T:
        return reading.cached(self.version, parts, build)


@contextmanager
def opened(database: Path | None = None) -> Iterator[DashboardData | None]:
    """The imported data (by default the configured database) for one request, or None when
    nothing has been imported yet: a cursor of the server process's shared connection."""
    data = reading.read(database or database_path())
    if data is None:
        yield None
        return
    try:
        yield DashboardData(data, data.version)
    finally:
        data.close()


# --- what the page shows ---------------------------------------------------------------------


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


def county_name(code: str) -> str:
    return COUNTY_NAMES.get(code, code)


def as_of_date(data: DashboardData) -> date | None:
    """The latest removal or discharge date: how far the data reach."""
    return data.cached(("as_of",), lambda: time_to_permanency.latest_date_in_data(data.runner))


def latest_federal_year(as_of: date) -> Period:
    """The latest federal fiscal year (October–September) whose last month the data reach.

    ``as_of`` is the latest removal or discharge, which falls a few days before the extract date
    (not every day has one), so reaching September is taken as covering the year.
    """
    year = as_of.year if as_of >= date(as_of.year, 9, 1) else as_of.year - 1
    return Period(date(year - 1, 10, 1), date(year, 9, 30))


def default_period(as_of: date) -> Period:
    """The federal year shown unless another is asked for: the latest one whose children the
    data follow for 12 months after its end, so that P1, P4 and S2, which look 12 months ahead,
    are complete rather than cut short by the end of the data."""
    latest = latest_federal_year(as_of)
    return Period(date(latest.start.year - 1, 10, 1), date(latest.end.year - 1, 9, 30))


def counties_in_data(data: DashboardData) -> tuple[str, ...]:
    def build() -> tuple[str, ...]:
        rows = data.runner.fetch("SELECT DISTINCT county FROM episodes ORDER BY county")
        return tuple(str(row["county"]) for row in rows)

    return data.cached(("counties",), build)


def first_date_in_data(data: DashboardData) -> date | None:
    """The earliest removal date: where the periods the data hold begin."""
    def build() -> date | None:
        (row,) = data.runner.fetch("SELECT MIN(removal_date) AS first FROM episodes")
        return row["first"] if isinstance(row["first"], date) else None

    return data.cached(("first",), build)


def periods_held(data: DashboardData, as_of: date | None) -> tuple[tuple[str, str], ...]:
    """The federal fiscal years the data cover, newest first: the period picker's choices."""
    if as_of is None:
        return ()
    latest = latest_federal_year(as_of)
    first = first_date_in_data(data) or latest.start
    years = range(latest.end.year, max(first.year, latest.end.year - 30) - 1, -1)
    periods = [Period(date(year - 1, 10, 1), date(year, 9, 30)) for year in years]
    return tuple((federal_code(p) or str(p), federal_label(p)) for p in periods
                 if p.end >= first)


def offices_in_data(data: DashboardData, county: str) -> tuple[tuple[str, str], ...]:
    """The offices of ``county`` the episodes name, as (code, name), names from the tree."""
    def build() -> tuple[tuple[str, str], ...]:
        rows = data.runner.fetch("SELECT DISTINCT county, office FROM episodes "
                                 "WHERE office IS NOT NULL ORDER BY county, office")
        return tuple((str(row["county"]), str(row["office"])) for row in rows)

    codes = [office for where, office in data.cached(("offices",), build) if where == county]
    names = office_names(codes)
    return tuple((code, names[code]) for code in codes)


def office_names(codes: Sequence[str]) -> dict[str, str]:
    """Offices' names from the organisation tree; an office the tree lacks keeps its code."""
    from practicehub.accounts.models import OrgNode  # Django models: only when pages render

    found = dict(OrgNode.objects.filter(code__in=list(codes)).values_list("code", "name"))
    return {code: found.get(code, code) for code in codes}


def office_name(code: str) -> str:
    return office_names([code])[code]


def _period_asked(period: str, start: str, end: str, default: Period
                  ) -> tuple[Period, str, bool]:
    """The period asked for (a federal code, or custom dates), else the default with why."""
    custom = period == "custom" or (not period and bool(start or end))
    text = f"{start}:{end}" if custom else period
    if not text:
        return default, "", False
    try:
        return parse_period(text), "", custom
    except PeriodError as problem:
        return default, f"{problem}. Showing {federal_label(default)} instead.", custom


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
    chosen, error, custom = _period_asked(period, start, end, default)
    selection = Selection(scope, county or None, chosen, as_of, tuple(choices), error,
                          office or None, offices, "", periods_held(data, as_of), custom)
    allowed = dict(selection.grouping_choices())
    grouping = by if by in allowed else next(iter(allowed))
    return replace(selection, grouping=grouping)


def federal_code(period: Period) -> str | None:
    """``23A23B`` when the period is exactly a federal fiscal year, else None."""
    year = period.end.year
    if period == Period(date(year - 1, 10, 1), date(year, 9, 30)):
        return f"{year % 100:02d}A{year % 100:02d}B"
    return None


def federal_label(period: Period) -> str:
    """``23A23B (2022-10-01 to 2023-09-30)`` for federal years, else the two dates."""
    dates = f"{period.start.isoformat()} to {period.end.isoformat()}"
    code = federal_code(period)
    return f"{code} ({dates})" if code else dates


# --- formatting figures ----------------------------------------------------------------------


def format_value(spec: MeasureSpec, value: float) -> str:
    if spec.kind == "proportion":
        return f"{value * 100:.1f}%"
    return f"{value:.2f}"


def axis_format(spec: MeasureSpec) -> Callable[[float], str]:
    if spec.kind == "proportion":
        return lambda value: f"{value * 100:.0f}%"
    return lambda value: f"{round(value, 6):g}"


@dataclass(frozen=True)
class Figure:
    """One shown figure: a result row and how to write it."""

    spec: MeasureSpec
    row: ResultRow | None

    @property
    def suppressed(self) -> bool:
        return self.row is not None and self.row.suppressed

    @property
    def data_quality(self) -> bool:
        """The data behind the figure are over a data-quality limit (spec §1a): shown as DQ."""
        return self.row is not None and self.row.data_quality == DQ

    @property
    def value(self) -> float | None:
        return None if self.row is None else self.row.value

    @property
    def text(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        return NO_VALUE if self.value is None else format_value(self.spec, self.value)

    @property
    def interval(self) -> str:
        row = self.row
        if self.suppressed:
            return SUPPRESSED
        if row is None or row.ci_low is None or row.ci_high is None:
            return "—"
        return f"{format_value(self.spec, row.ci_low)} to {format_value(self.spec, row.ci_high)}"

    @property
    def numerator(self) -> str:
        return self._count(None if self.row is None else self.row.numerator)

    @property
    def denominator(self) -> str:
        return self._count(None if self.row is None else self.row.denominator)

    def _count(self, count: int | None) -> str:
        if self.suppressed:
            return SUPPRESSED
        return "0" if count is None else f"{count:,}"


def _figure(rows: Sequence[ResultRow], measure: str, **groups: str | None) -> Figure:
    found = next((row for row in rows if row.measure == measure
                  and all(row.group(name) == value for name, value in groups.items())), None)
    return Figure(MEASURES[measure], found)


def _compute(data: DashboardData, selection: Selection, period: Period, measures: Sequence[str],
             by: Sequence[str] = ()) -> list[ResultRow]:
    def build() -> list[ResultRow]:
        return computing.compute(data.runner, period, by=by, measures=list(measures),
                              scope=selection.engine_scope(), suppress=selection.suppress).rows

    return data.cached(("rows", selection.engine_scope(), str(period), selection.suppress,
                        tuple(measures), tuple(by)), build)


# --- overview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    figure: Figure
    national_observed: str  # the Children's Bureau's national figure for exactly this period
    california_observed: str

    @property
    def label(self) -> str:
        return f"{self.period.start.isoformat()} to {self.period.end.isoformat()}"


@dataclass(frozen=True)
class MeasureOverview:
    spec: MeasureSpec
    current: Figure
    trend: list[TrendPoint]
    national_performance: str  # the Round 4 national performance, written out; "" if none
    chart: SafeString


def _published(reference: national.Reference | None, geo: str, period: Period,
               spec: MeasureSpec) -> str:
    found = reference.observed_in(geo, period) if reference else None
    return "—" if found is None else format_value(spec, found.value)


def _period_tick(period: Period) -> str:
    return period.end.strftime("%b %Y")


def _trend_chart(spec: MeasureSpec, place: str, points: list[TrendPoint],
                 reference: national.Reference | None) -> SafeString:
    line = charts.Series(place, tuple((float(index), point.figure.value)
                                      for index, point in enumerate(points)),
                         rows=tuple(point.label for point in points))
    performance = reference.national_performance if reference else None
    national_line = (charts.ReferenceLine("National performance", performance)
                     if performance is not None else None)
    description = (
        f"{spec.title} for {place}, 12-month periods ending {_period_tick(points[0].period)} to "
        f"{_period_tick(points[-1].period)}, one point per period; suppressed periods are gaps."
        + (f" Dashed line: CFSR Round 4 national performance, {format_value(spec, performance)}."
           if performance is not None else "")
        + " The table below the chart has every value.")
    return charts.line_chart(
        f"trend-{spec.id}", f"{spec.title}: trend", description, [line],
        x_ticks=[(float(i), _period_tick(p.period)) for i, p in enumerate(points)],
        x_title="12-month period ending", y_format=axis_format(spec), reference=national_line,
        y_max=1.0 if spec.kind == "proportion" else None)


def _county_rows(data: DashboardData, period: Period) -> list[ResultRow]:
    """Every overview measure by county for the whole state, unsuppressed, for summing.

    The same computation serves every user and county (the engine compiles SQL per scope, and
    80 compilations per scope would make a first view slow); nothing of it is shown as it is.
    """
    def build() -> list[ResultRow]:
        return computing.compute(data.runner, period, by=("county",),
                              measures=list(OVERVIEW_MEASURES), suppress=False).rows

    return data.cached(("by-county", str(period)), build)


def _total(spec: MeasureSpec, period: Period, rows: Sequence[ResultRow],
           data_quality: str) -> ResultRow:
    """One row for the sum of ``rows``: groups add up (numerators and denominators are sums of
    units), so value and interval follow from the sums as the engine computes them; its
    ``data_quality`` mark is that of the place summed (:func:`_place_mark`)."""
    numerator = sum(row.numerator or 0 for row in rows)
    denominator = sum(row.denominator or 0 for row in rows)
    bounds = computing.interval(spec, numerator, denominator)
    return ResultRow(
        spec.id, period.start, period.end, (), numerator, denominator,
        numerator / denominator * spec.scale if denominator else None,
        None if bounds is None else bounds[0], None if bounds is None else bounds[1],
        data_quality=data_quality)


def quality_marks(data: DashboardData) -> quality.Marks:
    """What the imported data's data-quality report marks over a limit (cached)."""
    return data.cached(("quality-marks",), lambda: quality.marks_for(data.runner))


def _place_mark(data: DashboardData, selection: Selection) -> str:
    """The §1a mark of the selection's totals, by the one marking rule (``quality.Marks``): its
    county (or office within it), else the scope's counties, else all the data."""
    marks = quality_marks(data)
    if selection.county:
        return marks.mark({"county": selection.county})
    counties = selection.engine_scope()
    return marks.mark({}, None if counties is None else counties["county"])


def _office_rows(data: DashboardData, period: Period) -> list[ResultRow]:
    """Every overview measure that carries an office, by county and office, for summing."""
    def build() -> list[ResultRow]:
        measures = [m for m in OVERVIEW_MEASURES if m not in OFFICELESS_MEASURES]
        return computing.compute(data.runner, period, by=("county", "office"),
                              measures=measures, suppress=False).rows

    return data.cached(("by-office", str(period)), build)


def scoped_totals(data: DashboardData, selection: Selection, period: Period) -> list[ResultRow]:
    """Each overview measure for the selection's counties (or its one office) in ``period``,
    suppressed as the user must see it; an office has no entry rate or recurrence."""
    if selection.county and selection.office:
        rows = [row for row in _office_rows(data, period)
                if row.group("county") == selection.county
                and row.group("office") == selection.office]
        mark = _place_mark(data, selection)
        totals = [_total(MEASURES[m], period, [row for row in rows if row.measure == m], mark)
                  for m in OVERVIEW_MEASURES if m not in OFFICELESS_MEASURES]
        return suppression.suppress(totals, ()) if selection.suppress else totals
    counties = selection.engine_scope()
    rows = [row for row in _county_rows(data, period)
            if counties is None or row.group("county") in counties["county"]]
    mark = _place_mark(data, selection)
    totals = [_total(MEASURES[m], period, [row for row in rows if row.measure == m], mark)
              for m in OVERVIEW_MEASURES]
    return suppression.suppress(totals, ()) if selection.suppress else totals


def overview(data: DashboardData, selection: Selection) -> list[MeasureOverview]:
    """Headline value and trend of every measure of spec §3 for the selection."""
    periods = rolling_periods(selection.period, TREND_PERIODS, TREND_STEP_MONTHS)
    by_period = {period: scoped_totals(data, selection, period) for period in periods}
    summaries = []
    for measure in OVERVIEW_MEASURES:
        if selection.office and measure in OFFICELESS_MEASURES:
            continue
        spec, reference = MEASURES[measure], national.reference_for(measure)
        points = [TrendPoint(period, _figure(by_period[period], measure),
                             _published(reference, national.NATIONAL, period, spec),
                             _published(reference, national.CALIFORNIA, period, spec))
                  for period in periods]
        performance = reference.national_performance if reference else None
        summaries.append(MeasureOverview(
            spec, points[-1].figure, points,
            format_value(spec, performance) if performance is not None else "",
            _trend_chart(spec, selection.place, points, reference)))
    return summaries


def warm(data: DashboardData) -> None:
    """Compute the default period's figures ahead of the first view: the overview's trend and
    the statewide pages.

    The first view of a period compiles and runs 80 statements (8 periods × 10 measures), tens
    of seconds on a busy machine; afterwards every user and county reads the cached sums.
    """
    last = default_period(as_of_date(data) or date.today())
    first_date_in_data(data)  # the period picker's and the office picker's choices
    offices_in_data(data, "")
    quality_marks(data)
    for period in rolling_periods(last, TREND_PERIODS, TREND_STEP_MONTHS):
        _county_rows(data, period)
    # The statewide pages too; their SQL lands in the on-disk cache that county views share.
    statewide = select(data, OutcomeScope(statewide=True, counties=(), unsuppressed=False), "", "")
    disparities(data, statewide)
    long_stay_totals(data, statewide)
    long_stays(data, statewide)
    permanency(data, statewide)
    for warm_also in WARMERS:
        warm_also(data)


# Other apps' reads of the outcome data to warm with the dashboards (the fidelity app adds its
# page beside the outcomes in its AppConfig.ready, so outcomes need not import it).
WARMERS: list[Callable[[DashboardData], None]] = []


@dataclass(frozen=True)
class GroupRow:
    label: str
    figures: list[Figure]


def group_label(dimension: str, code: str | None) -> str:
    """A group as people name it: county and office names, race labels, "No office recorded"."""
    if dimension == "county":
        return county_name(code or "")
    if dimension == "office":
        return office_name(code) if code else "No office recorded"
    if dimension == "race_ethnicity":
        return _race_label(code)
    return code or "Not recorded"


def breakdown(data: DashboardData, selection: Selection) -> tuple[list[MeasureSpec],
                                                                  list[GroupRow]]:
    """The overview's measures by the selection's grouping, for the measures that take it."""
    if not selection.grouping:
        return [], []
    wanted = [m for m in OVERVIEW_MEASURES
              if not (selection.grouping == "office" and m in OFFICELESS_MEASURES)]
    rows = _compute(data, selection, selection.period, wanted, (selection.grouping,))
    measures = [m for m in OVERVIEW_MEASURES if any(row.measure == m for row in rows)]
    groups = sorted({row.group(selection.grouping) or "" for row in rows},
                    key=lambda code: (not code, group_label(selection.grouping, code or None)))
    first: dict[tuple[str, str | None], ResultRow] = {}  # one pass, not one per cell
    for row in rows:
        first.setdefault((row.measure, row.group(selection.grouping)), row)
    table = [GroupRow(group_label(selection.grouping, code or None),
                      [Figure(MEASURES[m], first.get((m, code or None))) for m in measures])
             for code in groups]
    return [MEASURES[m] for m in measures], table


# --- disparities -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DisparityRow:
    race: str
    rate: Figure
    disproportionality: Figure
    disparity: Figure


@dataclass(frozen=True)
class StageDisparities:
    stage: str
    title: str
    rows: list[DisparityRow]
    white_rate: str
    chart: SafeString


def _race_label(code: str | None) -> str:
    return RACE_LABELS.get(code or "", code or "Unknown")


def _rate_note(row: DisparityRow) -> str:
    if row.rate.suppressed or row.disparity.value is None:
        return row.rate.text
    return f"{row.rate.text}; disparity {row.disparity.text}"


def _stage(stage: str, rows: list[ResultRow], place: str) -> StageDisparities:
    races = [row.group("race_ethnicity") for row in rows
             if row.measure == f"rate_per_1000_{stage}"]
    table = [DisparityRow(_race_label(race),
                          _figure(rows, f"rate_per_1000_{stage}", race_ethnicity=race),
                          _figure(rows, f"disproportionality_{stage}", race_ethnicity=race),
                          _figure(rows, f"disparity_{stage}", race_ethnicity=race))
             for race in races]
    white = _figure(rows, f"rate_per_1000_{stage}", race_ethnicity="white")
    bars = [charts.Bar(row.race, row.rate.value, _rate_note(row)) for row in table]
    title = STAGE_TITLES[stage]
    reference = (charts.ReferenceLine("White rate: disparity 1", white.value)
                 if white.value is not None else None)
    description = (f"{title} per 1,000 children by race and ethnicity, {place}. Each bar is a "
                   "group's rate, written with its disparity index at the bar's end; the dashed "
                   "line marks the white children's rate, where the disparity index is 1. "
                   "The table below the chart has every value.")
    chart = charts.bar_chart(f"disparity-{stage}", f"{title} per 1,000 children by race and "
                             "ethnicity", description, bars,
                             value_format=lambda v: f"{round(v, 6):g}",
                             axis_title="Rate per 1,000 children", reference=reference)
    return StageDisparities(stage, title, table, white.text, chart)


def disparities(data: DashboardData, selection: Selection) -> list[StageDisparities]:
    measures = [f"{kind}_{stage}" for stage in STAGES
                for kind in ("rate_per_1000", "disproportionality", "disparity")]
    rows = _compute(data, selection, selection.period, measures, ("race_ethnicity",))
    return [_stage(stage, [row for row in rows if row.measure.endswith(stage)], selection.place)
            for stage in STAGES]


# --- long stays ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LongStayRow:
    label: str
    over_24: Figure
    over_36: Figure


@dataclass(frozen=True)
class LongStayTable:
    dimension: str  # the group column's heading
    rows: list[LongStayRow]
    chart: SafeString


def _long_stay_note(row: LongStayRow) -> str:
    if row.over_24.suppressed:
        return SUPPRESSED
    return f"24+ months {row.over_24.text}; 36+ months {row.over_36.text}"


def _long_stay_table(data: DashboardData, selection: Selection, dimension: str, heading: str,
                     label: Callable[[str | None], str]) -> LongStayTable:
    rows = _compute(data, selection, selection.period, LONG_STAY_MEASURES, (dimension,))
    groups = [row.group(dimension) for row in rows if row.measure == LONG_STAY_MEASURES[0]]
    table = [LongStayRow(label(group),
                         _figure(rows, LONG_STAY_MEASURES[0], **{dimension: group}),
                         _figure(rows, LONG_STAY_MEASURES[1], **{dimension: group}))
             for group in groups]
    bars = [charts.Bar(row.label, row.over_24.value, _long_stay_note(row)) for row in table]
    description = (f"Share of children in care on {selection.period.end.isoformat()} who had "
                   f"been in care 24 months or more, by {heading.lower()}, {selection.place}; "
                   "the share at 36 months or more is written at each bar's end. The table "
                   "below the chart has the counts.")
    chart = charts.bar_chart(f"long-stay-{dimension}", f"In care 24 months or more, by "
                             f"{heading.lower()}", description, bars,
                             value_format=lambda v: f"{v * 100:.0f}%",
                             axis_title="Share of children in care")
    return LongStayTable(heading, table, chart)


def long_stays(data: DashboardData, selection: Selection) -> list[LongStayTable]:
    """By county (or by office within the one county picked) and by race/ethnicity."""
    if selection.county:
        place = _long_stay_table(data, selection, "office", "Office",
                                 lambda code: group_label("office", code))
    else:
        place = _long_stay_table(data, selection, "county", "County",
                                 lambda code: county_name(code or ""))
    race = _long_stay_table(data, selection, "race_ethnicity", "Race and ethnicity", _race_label)
    return [place, race]


def long_stay_totals(data: DashboardData, selection: Selection) -> tuple[Figure, Figure]:
    rows = _compute(data, selection, selection.period, LONG_STAY_MEASURES)
    return _figure(rows, LONG_STAY_MEASURES[0]), _figure(rows, LONG_STAY_MEASURES[1])


# --- time to permanency ----------------------------------------------------------------------


@dataclass(frozen=True)
class CurveSummary:
    label: str
    curve: time_to_permanency.PermanencyCurve

    def _share(self, value: float | None, missing: str = NO_VALUE) -> str:
        if self.curve.suppressed:
            return SUPPRESSED
        return missing if value is None else f"{value * 100:.1f}%"

    @property
    def cohort(self) -> str:
        return SUPPRESSED if self.curve.suppressed else f"{self.curve.cohort or 0:,}"

    @property
    def median(self) -> str:
        if self.curve.suppressed:
            return SUPPRESSED
        median = self.curve.median_months
        return "not reached" if median is None else f"{median:.1f} months"

    @property
    def at_horizons(self) -> list[str]:
        """The share reaching permanency by 12, 24 and 36 months."""
        return [self._share(time_to_permanency.permanency_at_horizon(self.curve, months),
                            NOT_YET_OBSERVED) for months in time_to_permanency.HORIZONS_MONTHS]

    def incidence(self) -> list[tuple[int, list[str]]]:
        """Per horizon, the cumulative incidence of each exit type, written out."""
        return [(months, [self._share(self.curve.incidence.get(months, {}).get(exit_type),
                                      NOT_YET_OBSERVED)
                          for exit_type in time_to_permanency.EXIT_TYPES])
                for months in time_to_permanency.HORIZONS_MONTHS]


@dataclass(frozen=True)
class PermanencyPage:
    curves: list[CurveSummary]
    chart: SafeString
    exit_types: tuple[str, ...]
    horizons: tuple[int, ...]


def _curves(data: DashboardData, selection: Selection, by: Sequence[str]
            ) -> list[time_to_permanency.PermanencyCurve]:
    def build() -> list[time_to_permanency.PermanencyCurve]:
        return time_to_permanency.compute(data.runner, selection.period, by=by,
                                          scope=selection.engine_scope(),
                                          suppress=selection.suppress)

    return data.cached(("curves", *selection.key(), tuple(by)), build)


def _permanency_chart(curves: list[CurveSummary], place: str, period: Period) -> SafeString:
    shown = [c for c in curves if not c.curve.suppressed and c.curve.points]
    series = [charts.Series(c.label, tuple((float(p.month), p.permanency)
                                           for p in c.curve.points), step=True) for c in shown]
    longest = max((p.month for c in shown for p in c.curve.points), default=36)
    ticks = [(float(m), str(m)) for m in range(0, longest + 1, 12)]
    description = (
        f"Kaplan–Meier estimate of the share of children who entered care from "
        f"{period.start.isoformat()} to {period.end.isoformat()} ({place}) and reached "
        "permanency, by months since entry; one stepped line per group, each with its own "
        "dash pattern and its name at the line's end. Suppressed groups are left out. The "
        "tables below have the values at 12, 24 and 36 months and the median.")
    return charts.line_chart("permanency-curves", "Time to permanency", description, series,
                             x_ticks=ticks, x_title="Months since entering care",
                             y_format=lambda v: f"{v * 100:.0f}%", y_max=1.0, markers=False)


def permanency(data: DashboardData, selection: Selection) -> PermanencyPage:
    """Curves for the entry cohort of the period: all children, then each race/ethnicity."""
    total = _curves(data, selection, ())
    by_race = _curves(data, selection, ("race_ethnicity",))
    curves = [CurveSummary("All children", curve) for curve in total] + [
        CurveSummary(_race_label(dict(curve.groups).get("race_ethnicity")), curve)
        for curve in by_race]
    return PermanencyPage(curves, _permanency_chart(curves, selection.place, selection.period),
                          time_to_permanency.EXIT_TYPES, time_to_permanency.HORIZONS_MONTHS)


def context_notes(selection: Selection) -> dict[str, Any]:
    """What every dashboard page says about its figures."""
    code = federal_code(selection.period)
    held = code is not None and code in dict(selection.periods) and not selection.custom
    return {"selection": selection, "period_label": federal_label(selection.period),
            "period_value": code if held else "custom",
            "custom_start": "" if held else selection.period.start.isoformat(),
            "custom_end": "" if held else selection.period.end.isoformat(),
            "unsuppressed": selection.scope.unsuppressed}
