"""Stock and flow counts as California's public tables show them (docs/outcomes.md, "Stock and
flow"): children in care on a day by placement setting, entries (first entries and re-entries),
exits by discharge reason, and least restrictive placement of entries (CCWIP 4B: first and
predominant placement setting), each by any grouping dimension, with the state total.

Not a measure: a table here is a count per group and *category* (a setting, an entry type, a
discharge reason), with no numerator, denominator or interval, so it has its own rows
(:class:`CountRow`) and output. The database part is one pure Ibis expression per table over the
same tables the measures read (``OutcomeTables``), returning one row per group and category; the
margins (``total`` rows) and suppression run in Python on those few rows.

Every table counts each child once: in care on the day (episodes of one child never overlap),
the earliest entry in the period, the latest exit in the period. So the categories add up to the
``total`` category and the groups to the ``total`` group, exactly.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import IO, Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq

from practicehub.outcomes.engine import computing, contract, derived, output, sql_cache, suppression
from practicehub.outcomes.engine.marks import marks_for
from practicehub.outcomes.engine.measures.base import MeasureParams, add_rollups, apply_scope
from practicehub.outcomes.engine.measures.entries import first_entries
from practicehub.outcomes.engine.measures.long_term import episodes_in_care_on
from practicehub.outcomes.engine.periods import Period
from practicehub.outcomes.engine.results import ResultRow
from practicehub.outcomes.engine.tables import OutcomeTables

CATEGORY = "category"
TOTAL = "total"  # the value of a margin: all categories, or all values of a dimension
NO_PLACEMENT = "none"  # no placement covers the day (or, for 4B, any day of the entry)
UNKNOWN = "unknown"  # the placement has no setting, or the exit no discharge reason
FIRST_ENTRY = "first_entry"
REENTRY = "reentry"
SETTINGS = (*contract.PLACEMENT_SETTINGS, UNKNOWN, NO_PLACEMENT)


@dataclass(frozen=True)
class CountTable:
    id: str
    title: str
    categories: tuple[str, ...]
    point_in_time: bool = False


TABLES: dict[str, CountTable] = {
    table.id: table
    for table in (
        CountTable("in_care", "Children in care on the day, by placement setting", SETTINGS,
                   point_in_time=True),
        CountTable("entries", "Children entering care, first entries and re-entries",
                   (FIRST_ENTRY, REENTRY)),
        CountTable("exits", "Children leaving care, by discharge reason",
                   (*contract.DISCHARGE_REASONS, UNKNOWN)),
        CountTable("placement_first", "Entries by first placement setting (4B)", SETTINGS),
        CountTable("placement_predominant", "Entries by predominant placement setting (4B)",
                   SETTINGS),
    )
}


# --- the database part: one row per counted child, with its groups and category -------------


def _units(table: ir.Table, age_on: ir.DateValue, category: ir.StringValue) -> ir.Table:
    return table.select(
        county=table.county,
        office=table.office,
        race_ethnicity=table.race_ethnicity,
        age_band=derived.age_band(derived.age_on(table.birth_date, age_on)),
        sex=table.sex,
        category=category,
    )


def _setting(setting: ir.StringValue, found: ir.BooleanValue) -> ir.StringValue:
    """A placement's setting as a category: ``none`` without a placement, ``unknown`` without a
    setting."""
    return ibis.cases((~found, NO_PLACEMENT), (setting.isnull(), UNKNOWN), else_=setting)


def placement_spans(tables: OutcomeTables) -> ir.Table:
    """Every placement of an episode with the days it is the child's placement,
    ``[start_date, cover_end)``: up to the earliest of its end_date, the next placement's start
    (by start date, then file order) and the episode's end. Without overlaps this is §3 P5's
    coverage; where an end_date runs past the next start, the later placement takes over, so the
    spans of an episode never overlap and a day has at most one placement."""
    placements = tables.placements
    order = [placements.start_date, placements[contract.PLACEMENT_ORDER_COLUMN]]
    window = ibis.window(group_by=placements.episode_id, order_by=order)
    ranked = placements.mutate(
        next_start=placements.start_date.lead().over(window),
        position=ibis.row_number().over(window),
    )
    episodes = tables.episode_facts.select(
        span_episode_id="episode_id", span_removal="removal_date",
        span_end=derived.open_ended(tables.episode_facts.discharge_date),
    )
    joined = ranked.join(episodes, ranked.episode_id == episodes.span_episode_id)
    return joined.select(
        span_episode_id=joined.episode_id,
        span_start=joined.start_date,
        span_seq=joined[contract.PLACEMENT_ORDER_COLUMN],
        span_setting=joined.setting,
        span_position=joined.position,
        span_removal=joined.span_removal,
        cover_end=ibis.least(derived.open_ended(joined.end_date),
                             derived.open_ended(joined.next_start), joined.span_end),
    )


def _first_per_episode(table: ir.Table, *order: ir.Value) -> ir.Table:
    window = ibis.window(group_by=table.span_episode_id, order_by=list(order))
    ranked = table.mutate(_rank=ibis.row_number().over(window))
    return ranked.filter(ranked._rank == 0).drop("_rank")


def in_care_units(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Children in care on the day under 18, by the setting of the placement whose span holds
    the day (at most one does)."""
    day = params.reference
    episodes = episodes_in_care_on(tables, day)
    spans = placement_spans(tables)
    current = spans.filter(spans.span_start <= day, spans.cover_end > day)
    joined = episodes.left_join(current, episodes.episode_id == current.span_episode_id)
    category = _setting(joined.span_setting, joined.span_episode_id.notnull())
    return _units(joined, ibis.literal(day), category)


def entry_units(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Per child, the earliest entry in the period (the entry rate's entries): a re-entry when
    the child has an earlier episode, else a first entry."""
    entries = first_entries(tables, params)
    category = ibis.ifelse(entries.previous_removal.isnull(), FIRST_ENTRY, REENTRY)
    return _units(entries, entries.removal_date, category)


def exit_units(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """Per child, the latest discharge in the period (date, then episode id) on or before the
    18th birthday, by discharge reason."""
    episodes = tables.episode_facts
    exits = episodes.filter(
        episodes.discharge_date.between(params.start, params.end),
        episodes.discharge_date <= episodes.eighteenth,
    )
    window = ibis.window(group_by=exits.child_id,
                         order_by=[exits.discharge_date.desc(), exits.episode_id.desc()])
    ranked = exits.mutate(_rank=ibis.row_number().over(window))
    last = ranked.filter(ranked._rank == 0)
    return _units(last, last.discharge_date, last.discharge_reason.fill_null(UNKNOWN))


def first_placement_units(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """The entries by the setting of the episode's first placement (earliest start date, then
    file order); ``none`` when the episode has no placement."""
    entries = first_entries(tables, params)
    spans = placement_spans(tables)
    first = spans.filter(spans.span_position == 0)
    joined = entries.left_join(first, entries.episode_id == first.span_episode_id)
    category = _setting(joined.span_setting, joined.span_episode_id.notnull())
    return _units(joined, joined.removal_date, category)


def predominant_placement_units(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """The entries by predominant setting: the setting whose placements cover the most days of
    the episode from removal up to (excluding) the earlier of discharge and the day after the
    period; a tie goes to the setting reached first, then to the setting's name. ``none`` when
    placements cover no such day."""
    entries = first_entries(tables, params)
    window_end = ibis.least(derived.open_ended(entries.discharge_date),
                            ibis.literal(params.period.day_after_end))
    bounds = entries.select(bound_episode_id="episode_id", bound_end=window_end)
    spans = placement_spans(tables)
    clipped = spans.join(bounds, spans.span_episode_id == bounds.bound_episode_id)
    start = ibis.greatest(clipped.span_start, clipped.span_removal)
    end = ibis.least(clipped.cover_end, clipped.bound_end)
    days = clipped.select(
        span_episode_id=clipped.span_episode_id,
        setting_category=clipped.span_setting.fill_null(UNKNOWN),
        first_day=start,
        days=derived.days_between(start, end),
    )
    covered = days.filter(days.days > 0)
    per_setting = covered.group_by(["span_episode_id", "setting_category"]).aggregate(
        days=covered.days.sum(), first_day=covered.first_day.min()
    )
    predominant = _first_per_episode(
        per_setting, per_setting.days.desc(), per_setting.first_day, per_setting.setting_category
    )
    joined = entries.left_join(predominant, entries.episode_id == predominant.span_episode_id)
    category = ibis.ifelse(joined.span_episode_id.isnull(), NO_PLACEMENT,
                           joined.setting_category)
    return _units(joined, joined.removal_date, category)


UNIT_BUILDERS = {
    "in_care": in_care_units,
    "entries": entry_units,
    "exits": exit_units,
    "placement_first": first_placement_units,
    "placement_predominant": predominant_placement_units,
}


def count_table(tables: OutcomeTables, table_id: str, params: MeasureParams) -> ir.Table:
    """Children per group (``params.by``) and category of one table, after scoping."""
    units = UNIT_BUILDERS[table_id](tables, params)
    scoped = apply_scope(add_rollups(units, params), params)
    return scoped.group_by([*params.by, CATEGORY]).aggregate(count=scoped.count())


def county_list(tables: OutcomeTables, params: MeasureParams) -> ir.Table:
    """The counties of every episode in scope: the rows of the all-county table."""
    episodes = tables.episode_facts.select("county")
    scoped = apply_scope(add_rollups(episodes, params), params)
    return scoped.select("county").distinct()


def _cached_sql(request: str, build: Any, dialect: str) -> str:
    cached = sql_cache.load(request)
    if cached is not None:
        return cached
    sql = computing.to_sql(build(), dialect)
    sql_cache.store(request, sql)
    return sql


@lru_cache(maxsize=512)
def compiled_sql(table_id: str, params: MeasureParams, dialect: str) -> str:
    return _cached_sql(f"counts {table_id}\n{params!r}\ndialect {dialect}",
                       lambda: count_table(OutcomeTables.unbound(), table_id, params), dialect)


@lru_cache(maxsize=128)
def compiled_county_sql(params: MeasureParams, dialect: str) -> str:
    return _cached_sql(f"counts counties\n{params!r}\ndialect {dialect}",
                       lambda: county_list(OutcomeTables.unbound(), params), dialect)


# --- rows, margins, suppression ----------------------------------------------------------------

Groups = tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class CountRow:
    table: str
    period_start: date
    period_end: date
    day: date | None  # the day of a point-in-time table (in_care), else None
    groups: Groups  # (dimension, value) in --by order; ``total`` in a margin
    category: str
    count: int | None  # None when suppressed
    share: float | None = None  # count ÷ the group's total category; None when unknown
    suppressed: bool = False
    data_quality: str = "ok"  # DQ when the row's data are over a data-quality limit (§1a)

    def group(self, dimension: str) -> str | None:
        return dict(self.groups)[dimension]

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "date": None if self.day is None else self.day.isoformat(),
            **dict(self.groups),
            CATEGORY: self.category,
            "count": self.count,
            "share": self.share,
            "suppressed": self.suppressed,
            "data_quality": self.data_quality,
        }


def count_columns(by: Sequence[str]) -> list[str]:
    """Output columns: table, period_start, period_end, date, the --by dimensions, category,
    count, share, suppressed, data_quality."""
    return ["table", "period_start", "period_end", "date", *by, CATEGORY, "count", "share",
            "suppressed", "data_quality"]


@dataclass
class CountResult:
    rows: list[CountRow]
    by: tuple[str, ...]
    warnings: list[str]

    @property
    def columns(self) -> list[str]:
        return count_columns(self.by)

    def records(self) -> list[dict[str, Any]]:
        return [row.as_dict() for row in self.rows]


Key = tuple[str | None, ...]  # the --by values, then the category


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def with_margins(counts: Mapping[Key, int], width: int) -> dict[Key, int]:
    """``counts`` with every margin: each position of the key (a dimension or the category) also
    as ``total``, summed."""
    margins: dict[Key, int] = {}
    for key, count in counts.items():
        for mask in itertools.product((False, True), repeat=width):
            margin = tuple(TOTAL if total else value
                           for value, total in zip(key, mask, strict=True))
            margins[margin] = margins.get(margin, 0) + count
    return margins


def _complete(margins: dict[Key, int], categories: Sequence[str],
              counties: Sequence[str] | None, by: Sequence[str]) -> dict[Key, int]:
    """Every category of every group, zeros included; with ``counties``, every county too."""
    groups = {key[:-1] for key in margins}
    if counties is not None:
        position = list(by).index("county")
        for county in counties:
            groups.add(tuple(county if index == position else TOTAL for index in range(len(by))))
    return {(*group, category): margins.get((*group, category), 0)
            for group in groups for category in (*categories, TOTAL)}


def _order(table: CountTable, by: Sequence[str]) -> Any:
    categories = {name: index for index, name in enumerate((*table.categories, TOTAL))}

    def key(item: tuple[Key, int]) -> tuple[Any, ...]:
        values = item[0]
        groups = tuple((value == TOTAL, value is None, value or "") for value in values[:-1])
        return (*groups, categories.get(values[-1] or "", len(categories)))

    return key


def build_rows(table: CountTable, params: MeasureParams, records: Sequence[Mapping[str, Any]],
               counties: Sequence[str] | None) -> list[CountRow]:
    """The rows of one table with margins and zeros, unsuppressed, in output order."""
    by = params.by
    counts: dict[Key, int] = {}
    for record in records:
        key = (*(_text(record[name]) for name in by), str(record[CATEGORY]))
        counts[key] = counts.get(key, 0) + int(record["count"])
    complete = _complete(with_margins(counts, len(by) + 1), table.categories, counties, by)
    day = params.reference if table.point_in_time else None
    rows = []
    for key, count in sorted(complete.items(), key=_order(table, by)):
        total = complete[(*key[:-1], TOTAL)]
        rows.append(CountRow(
            table.id, params.start, params.end, day, tuple(zip(by, key[:-1], strict=True)),
            str(key[-1]), count, count / total if total else None,
        ))
    return rows


def suppress(rows: Sequence[CountRow], by: Sequence[str]) -> list[CountRow]:
    """§5 on each table with its margins: the shared rules of ``suppression.py`` with the
    category as one more dimension and every ``total`` row a member of the lines it totals, so
    a line with one suppressed cell (a margin included) has another suppressed. A share is
    removed with its count and, since count ÷ share gives the total, with its group's total."""
    dimensions = (*by, CATEGORY)
    cells = [ResultRow(row.table, row.period_start, row.period_end,
                       (*row.groups, (CATEGORY, row.category)), row.count, None, None)
             for row in rows]
    mask = suppression.suppression_mask(cells, dimensions)
    hidden_totals = {(row.table, row.groups) for row, hide in zip(rows, mask, strict=True)
                     if hide and row.category == TOTAL}
    result = []
    for row, hide in zip(rows, mask, strict=True):
        if hide:
            result.append(replace(row, count=None, share=None, suppressed=True))
        elif (row.table, row.groups) in hidden_totals:
            result.append(replace(row, share=None))
        else:
            result.append(row)
    return result


class UnknownTableError(computing.UsageError):
    """A table id that is not one of :data:`TABLES`."""


def resolve_tables(ids: Sequence[str] | None) -> list[CountTable]:
    if not ids:
        return list(TABLES.values())
    unknown = [name for name in ids if name not in TABLES]
    if unknown:
        raise UnknownTableError(
            f"unknown table {', '.join(unknown)}; known: {', '.join(TABLES)}")
    return [TABLES[name] for name in dict.fromkeys(ids)]


def compute(
    runner: computing.Runner,
    period: Period,
    *,
    by: Sequence[str] = (),
    tables: Sequence[str] | None = None,
    day: date | None = None,
    suppress_cells: bool = True,
    scope: Mapping[str, Sequence[str]] | None = None,
    rollups: Mapping[str, Mapping[str, str]] | None = None,
) -> CountResult:
    """The count tables for ``period`` (in care on ``day``, by default the period's last day),
    grouped ``by``, with margins; suppressed (§5) unless ``suppress_cells`` is False."""
    params = MeasureParams.build(period, by, day, scope, rollups)
    computing.check_dimensions(params)
    if CATEGORY in params.by:
        raise computing.UsageError(f"{CATEGORY} is the column of each table's categories, "
                                "not a dimension")
    chosen = resolve_tables(tables)
    counties: list[str] | None = None
    if "county" in params.by:
        records = runner.fetch(compiled_county_sql(params, runner.dialect))
        counties = sorted(str(record["county"]) for record in records)
    rows: list[CountRow] = []
    for table in chosen:
        records = runner.fetch(compiled_sql(table.id, params, runner.dialect))
        rows += build_rows(table, params, records, counties)
    if suppress_cells:
        rows = suppress(rows, params.by)
    return CountResult(mark_quality(rows, runner, scope), params.by, [])


def mark_quality(rows: list[CountRow], runner: computing.Runner,
                 scope: Mapping[str, Sequence[str]] | None = None) -> list[CountRow]:
    """Each row marked as a measure row is (§1a); a margin (``total``) is not grouped by that
    dimension, so the state total of the all-county table follows all the data."""
    marks = marks_for(runner)
    counties = (scope or {}).get("county")
    return [replace(row, data_quality=marks.mark(
        {name: value for name, value in row.groups if value != TOTAL}, counties))
        for row in rows]


# --- output ----------------------------------------------------------------------------------

_ARROW_TYPES = {"count": pa.int64(), "share": pa.float64(), "suppressed": pa.bool_()}


def write_csv(result: CountResult, stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(result.columns)
    for record in result.records():
        writer.writerow([output.csv_cell(record[column]) for column in result.columns])


def render_text(result: CountResult, fmt: str) -> str:
    stream = io.StringIO()
    if fmt == "json":
        json.dump(result.records(), stream, indent=1)
        stream.write("\n")
    else:
        write_csv(result, stream)
    return stream.getvalue()


def arrow_table(result: CountResult) -> Any:
    records = result.records()
    return pa.table({
        column: pa.array([record[column] for record in records],
                         type=_ARROW_TYPES.get(column, pa.string()))
        for column in result.columns
    })


def write_parquet(result: CountResult, target: Any) -> None:
    pq.write_table(arrow_table(result), target)
