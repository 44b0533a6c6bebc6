"""The data-quality page (spec §1a) for analysts: the report of the imported data for the counties
in the user's scope, a chart of each check's rate against its limit, and the flagged rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString

from practicehub.core.services.tables import Table
from practicehub.outcomes.data import quality
from practicehub.outcomes.engine import marks
from practicehub.outcomes.services import charts
from practicehub.outcomes.services.access import OutcomeScope
from practicehub.outcomes.services.dashboard_data import DashboardData
from practicehub.outcomes.services.formatting import county_name

FLAG_HEADERS = ["File", "Row", "Line", "Check", "Column", "Problem", "County", "Child"]


@dataclass(frozen=True)
class CheckRow:
    check: quality.QualityCheck
    flagged: int
    denominator: int
    rate: float | None
    over_limit: bool

    @property
    def counts_text(self) -> tuple[str, str]:
        """Flagged and denominator with thousands separators."""
        return f"{self.flagged:,}", f"{self.denominator:,}"

    @property
    def rate_text(self) -> str:
        return "—" if self.rate is None else f"{100 * self.rate:.1f}%"

    @property
    def limit_text(self) -> str:
        return f"{100 * self.check.limit:g}%"


@dataclass(frozen=True)
class QualityPage:
    place: str
    county: str
    county_choices: tuple[tuple[str, str], ...]
    rows: tuple[CheckRow, ...]
    chart: SafeString
    flagged: int

    @property
    def flagged_text(self) -> str:
        return f"{self.flagged:,}"

    @property
    def over_limit(self) -> tuple[CheckRow, ...]:
        return tuple(row for row in self.rows if row.over_limit)


def visible_counties(data: DashboardData, scope: OutcomeScope) -> tuple[str, ...]:
    """The counties of the report the user may see."""
    counties = sorted({str(row["county"]) for row in _report(data)} - {marks.ALL})
    return tuple(counties if scope.statewide else [c for c in counties if c in scope.counties])


def _report(data: DashboardData) -> list[dict[str, Any]]:
    if not marks.has_report(data.runner):
        return []
    return data.cached(("data_quality",), lambda: quality.stored_report(data.runner))


def page(data: DashboardData, scope: OutcomeScope, county: str) -> QualityPage:
    """The report of ``county`` (or all the data, for statewide users with no county asked);
    a county outside scope raises LookupError."""
    choices = visible_counties(data, scope)
    if county and county not in choices:
        raise LookupError(county)
    if not county and not scope.statewide:
        county = choices[0] if choices else ""
    place = county or marks.ALL
    rows = tuple(
        CheckRow(quality.CHECKS_BY_NAME[str(row["check"])], int(row["flagged"]),
                 int(row["denominator"]), row["rate"], bool(row["over_limit"]))
        for row in _report(data) if row["county"] == place and row["check"] in
        quality.CHECKS_BY_NAME)
    name = county_name(county) if county else "All the imported data"
    return QualityPage(name, county, tuple((code, county_name(code)) for code in choices), rows,
                       _chart(rows, name), sum(row.flagged for row in rows))


def _chart(rows: tuple[CheckRow, ...], place: str) -> SafeString:
    """Each check's rate as a share of its limit: a bar past the line is over the limit."""
    bars = [charts.Bar(row.check.name, None if row.rate is None else row.rate / row.check.limit,
                       f"{row.rate_text} (limit {row.limit_text})") for row in rows]
    return charts.bar_chart(
        "data-quality", f"Flagged records against their limits, {place}",
        "For each check, the share of records flagged as a multiple of the dictionary's limit; "
        "the line marks the limit.", bars, value_format=lambda value: f"{value:g}×",
        axis_title="Rate ÷ limit", reference=charts.ReferenceLine("limit", 1.0))


def flagged_table(data: DashboardData, scope: OutcomeScope, county: str) -> Table:
    """The flagged rows (file, row, check) of the counties in scope; statewide users with no
    county asked get every row, orphans without a county included."""
    choices = visible_counties(data, scope)
    if county and county not in choices:
        raise LookupError(county)
    if not marks.has_report(data.runner):
        return flagged_rows_table()  # imported before the checks: nothing was flagged
    counties = [county] if county else list(choices)
    where = "" if scope.statewide and not county else (
        "WHERE county IN (" + ", ".join(_literal(code) for code in counties) + ")"
        if counties else "WHERE false")
    rows = data.runner.fetch(
        'SELECT file, "row", line, "check", column_name, detail, county, child_id '  # noqa: S608
        f"FROM {quality.FLAGS_TABLE} {where} ORDER BY file, \"row\", \"check\"")
    return flagged_rows_table([list(row.values()) for row in rows])


def flagged_rows_table(rows: list[list[Any]] | None = None) -> Table:
    """The download's table of flagged rows (none by default: nothing imported or flagged)."""
    return Table("data-quality-flagged-rows", "Flagged records", FLAG_HEADERS, rows or [])


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
