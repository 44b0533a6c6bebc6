# SQL here is built from the contract's table and column names and the checks above, never from
# user input (file names are quoted as literals).
# ruff: noqa: S608
"""Data quality (spec §1a): record-level problems are flagged, their children set aside, and the
load goes on.

Validation (:mod:`validation`) refuses structural problems. What passes is loaded into typed
tables (:mod:`store`); here each record-level check of §1a is one query over them that names the
flagged rows (:func:`flag_records`; file, row, column, detail). From the flags come

- the report (:func:`build_report`): one row per check and county and one for all the data
  (county ``all``): flagged, denominator, rate, limit, over_limit; stored as the
  ``data_quality`` table with the flagged rows as ``data_quality_flags``;
- the rows set aside (:func:`set_aside`): every row of a child with any flagged record (its own
  row, an episode, one of their placements, a report), and orphan rows themselves, move to
  ``set_aside_<table>``; the contract tables keep the rest, which is what every measure reads.
  Nothing is lost.

The stored report is read back by :mod:`practicehub.outcomes.engine.marks`, which marks every
result row ``DQ`` or ``ok``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb

from practicehub.outcomes.data.sources import Source
from practicehub.outcomes.engine import contract
from practicehub.outcomes.engine.marks import (
    ALL,
    REPORT_COLUMNS,
    REPORT_TABLE,
    Fetcher,
    report_rows,
)
from practicehub.outcomes.engine.output import csv_cell

FLAGS_TABLE = "data_quality_flags"
SET_ASIDE_PREFIX = contract.SET_ASIDE_PREFIX
# Tables whose rows can be set aside (population never is).
PERSON_TABLES = ("children", "episodes", "placements", "maltreatment_reports", "assignments")


@dataclass(frozen=True)
class QualityCheck:
    """One record-level check of §1a: the rows of ``table`` it flags and its rate's limit."""

    name: str
    table: str
    column: str
    denominator: str  # episodes, discharged (episodes), children, placements or rows (orphans)
    limit: float
    meaning: str


CHECKS: tuple[QualityCheck, ...] = (
    QualityCheck("birth_after_removal", "episodes", "removal_date", "episodes", 0.05,
                 "birth_date after removal_date"),
    QualityCheck("birth_after_discharge", "episodes", "discharge_date", "discharged", 0.05,
                 "birth_date after discharge_date"),
    QualityCheck("discharge_before_removal", "episodes", "discharge_date", "discharged", 0.05,
                 "discharge_date before removal_date"),
    QualityCheck("same_day_exit", "episodes", "discharge_date", "discharged", 0.05,
                 "discharge_date on the removal_date"),
    QualityCheck("missing_birth_date", "children", "birth_date", "children", 0.05,
                 "birth_date empty"),
    QualityCheck("missing_discharge_reason", "episodes", "discharge_reason", "discharged", 0.10,
                 "discharge_date set, discharge_reason empty"),
    QualityCheck("overlapping_episodes", "episodes", "removal_date", "episodes", 0.05,
                 "two episodes of one child overlap"),
    QualityCheck("placement_outside_episode", "placements", "start_date", "placements", 0.05,
                 "placement starts before removal_date or on/after discharge_date"),
    QualityCheck("orphan_reference", "*", "", "rows", 0.01,
                 "child_id or episode_id with no row"),
)
CHECKS_BY_NAME = {check.name: check for check in CHECKS}

_NO_DATE = "DATE '9999-12-31'"
_KNOWN_CHILD = "child_id IN (SELECT child_id FROM children)"


def _show(column: str) -> str:
    """A value quoted in a message, at most 60 characters of it."""
    quote = "''''"  # a quote mark as an SQL string literal
    return f"{quote} || left({column}, 60) || {quote}"


@dataclass(frozen=True)
class Flag:
    """The query naming the rows one check flags in one loaded table: ``key`` (the row's id; a
    placement's file row) and ``detail``."""

    check: str
    table: str
    column: str
    sql: str


def _episode_flags() -> list[Flag]:
    # Orphan episodes count in orphan_reference alone.
    return [
        Flag("discharge_before_removal", "episodes", "discharge_date",
             "SELECT episode_id AS key, 'discharge_date ' || discharge_date || ' is before "
             "removal_date ' || removal_date AS detail FROM episodes "
             f"WHERE discharge_date < removal_date AND {_KNOWN_CHILD}"),
        Flag("same_day_exit", "episodes", "discharge_date",
             "SELECT episode_id, 'discharge_date ' || discharge_date || ' is the removal_date' "
             f"FROM episodes WHERE discharge_date = removal_date AND {_KNOWN_CHILD}"),
        Flag("missing_discharge_reason", "episodes", "discharge_reason",
             "SELECT episode_id, 'discharge_reason is empty although discharge_date ' || "
             "discharge_date || ' is set' FROM episodes WHERE discharge_date IS NOT NULL AND "
             f"discharge_reason IS NULL AND {_KNOWN_CHILD}"),
        # Episodes occupy [removal_date, discharge_date): a re-entry on the discharge day is
        # fine. Both episodes of an overlapping pair are flagged.
        Flag("overlapping_episodes", "episodes", "removal_date",
             "WITH e AS (SELECT episode_id, child_id, removal_date AS r, "
             f"coalesce(discharge_date, {_NO_DATE}) AS d FROM episodes WHERE {_KNOWN_CHILD} "
             "AND (discharge_date IS NULL OR discharge_date >= removal_date)) "
             f"SELECT b.episode_id, 'episode ' || {_show('b.episode_id')} || ' overlaps episode '"
             f" || {_show('a.episode_id')} || ' of child ' || {_show('b.child_id')} FROM e a "
             "JOIN e b ON a.child_id = b.child_id AND a.episode_id <> b.episode_id "
             "WHERE a.r < b.d AND b.r < a.d"),
        *(Flag(check, "episodes", column,
               f"SELECT e.episode_id, '{column} ' || e.{column} || ' is before the child''s "
               "birth_date ' || c.birth_date FROM episodes e JOIN children c "
               f"ON e.child_id = c.child_id WHERE e.{column} < c.birth_date")
          for check, column in (("birth_after_removal", "removal_date"),
                                ("birth_after_discharge", "discharge_date"))),
    ]


def _flags(present: set[str]) -> list[Flag]:
    """Every record-level check that the loaded tables allow."""
    flags: list[Flag] = []
    if "children" in present:
        flags.append(Flag("missing_birth_date", "children", "birth_date",
                          f"SELECT child_id, 'birth_date is empty for child ' || "
                          f"{_show('child_id')} FROM children WHERE birth_date IS NULL"))
    if {"children", "episodes"} <= present:
        flags += _episode_flags()
    if {"episodes", "placements"} <= present:
        flags.append(Flag(
            "placement_outside_episode", "placements", "start_date",
            f"SELECT CAST(p.{contract.PLACEMENT_ORDER_COLUMN} AS VARCHAR), 'start_date ' || "
            "p.start_date || CASE WHEN p.start_date < e.removal_date THEN ' is before "
            "removal_date ' || e.removal_date ELSE ' is on or after discharge_date ' || "
            f"e.discharge_date END || ' of episode ' || {_show('p.episode_id')} FROM placements p "
            "JOIN episodes e ON p.episode_id = e.episode_id WHERE p.start_date < e.removal_date "
            "OR p.start_date >= e.discharge_date"))
        flags.append(Flag(
            "orphan_reference", "placements", "episode_id",
            f"SELECT CAST({contract.PLACEMENT_ORDER_COLUMN} AS VARCHAR), 'episode_id ' || "
            f"{_show('episode_id')} || ' has no row in episodes' FROM placements "
            "WHERE episode_id NOT IN (SELECT episode_id FROM episodes)"))
    if "children" in present:
        for table, key in (("episodes", "episode_id"), ("maltreatment_reports", "report_id")):
            if table in present:
                flags.append(Flag(
                    "orphan_reference", table, "child_id",
                    f"SELECT {key}, 'child_id ' || {_show('child_id')} || ' has no row in "
                    f"children' FROM {table} WHERE NOT {_KNOWN_CHILD}"))
    return flags


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {str(row[0]) for row in con.execute("SHOW TABLES").fetchall()}


def flag_records(con: duckdb.DuckDBPyConnection, sources: Mapping[str, Source]) -> bool:
    """Run every check on the loaded contract tables into the temporary table ``dq_flagged``
    (check, table, key, file, row, county, child); whether any record was flagged."""
    present = _tables(con)
    parts = [f"SELECT DISTINCT '{flag.check}' AS check_name, '{flag.table}' AS table_name, "
             f"'{flag.column}' AS column_name, CAST(key AS VARCHAR) AS key, detail "
             f"FROM ({flag.sql}) AS f(key, detail)" for flag in _flags(present)]
    con.execute("CREATE OR REPLACE TEMP TABLE dq_found AS " + " UNION ALL ".join(parts))
    found = con.execute("SELECT count(*) FROM dq_found").fetchone()
    if not found or not found[0]:
        con.execute("CREATE OR REPLACE TEMP TABLE dq_flagged AS SELECT *, NULL::VARCHAR AS file,"
                    " NULL::BIGINT AS _row, NULL::BOOLEAN AS csv, NULL::VARCHAR AS county, "
                    "NULL::VARCHAR AS child_id FROM dq_found")
        return False
    con.execute("CREATE OR REPLACE TEMP TABLE dq_flagged AS " + " UNION ALL ".join(
        _located(table, source) for table, source in sources.items()
        if table in ("children", "episodes", "placements", "maltreatment_reports")))
    return True


def _located(table: str, source: Source) -> str:
    """The flags of ``table`` with the file's name and row, their county and child (§1a: an
    episode's or report's county, a placement's episode's, a child's earliest episode's, else
    its earliest report's)."""
    file = "'" + source.name.replace("'", "''") + "'"
    csv = "true" if source.format == "csv" else "false"
    flags = f"(SELECT * FROM dq_found WHERE table_name = '{table}')"
    if table == "placements":
        return (f"SELECT f.*, {file} AS file, CAST(f.key AS BIGINT) AS _row, {csv} AS csv, "
                f"e.county, e.child_id FROM {flags} f JOIN placements p "
                f"ON p.{contract.PLACEMENT_ORDER_COLUMN} = CAST(f.key AS BIGINT) "
                "LEFT JOIN episodes e ON e.episode_id = p.episode_id")
    key = {"children": "child_id", "episodes": "episode_id",
           "maltreatment_reports": "report_id"}[table]
    rows = (f"(SELECT _row, {key} AS key FROM {source.view} WHERE {key} IN "
            f"(SELECT key FROM {flags}))")
    if table == "children":
        place = (f"(SELECT child_id AS key, {_CHILD_COUNTY} AS county, child_id FROM "
                 f"({_child_places(flags)}) GROUP BY child_id)")
    else:
        place = f"(SELECT {key} AS key, county, child_id FROM {table})"
    return (f"SELECT f.*, {file} AS file, r._row, {csv} AS csv, p.county, p.child_id "
            f"FROM {flags} f JOIN {rows} r ON r.key = f.key LEFT JOIN {place} p "
            "ON p.key = f.key")


# A child's county: that of its earliest episode (by removal_date, then id), else of its
# earliest report (by report_date, then id).
_CHILD_COUNTY = "arg_min(county, (kind, day, id))"


def _child_places(children: str | None = None) -> str:
    """(child_id, kind, day, id, county) of every episode and county-bearing report, of the
    children in ``children`` (a subquery of their ids as ``key``) or of all."""
    only = "" if children is None else f" AND child_id IN (SELECT key FROM {children})"
    return (f"SELECT child_id, 1 AS kind, removal_date AS day, episode_id AS id, county "
            f"FROM episodes WHERE true{only} UNION ALL SELECT child_id, 2, report_date, "
            f"report_id, county FROM maltreatment_reports WHERE county IS NOT NULL{only}")


def set_aside(con: duckdb.DuckDBPyConnection, *, flagged: bool) -> None:
    """Move the rows left out of the measures into ``set_aside_<table>``: every row of a child
    with a flagged record, orphan rows, and the placements and assignments of episodes set
    aside. Without flags the set-aside tables are created empty."""
    present = _tables(con) & set(PERSON_TABLES)
    if not flagged:
        con.execute("CREATE OR REPLACE TEMP TABLE dq_children (child_id VARCHAR)")
        for table in present:
            con.execute(f"CREATE TABLE {SET_ASIDE_PREFIX}{table} AS SELECT * FROM {table} "
                        "LIMIT 0")
        return
    con.execute("CREATE OR REPLACE TEMP TABLE dq_children AS SELECT DISTINCT child_id FROM "
                "dq_flagged WHERE child_id IN (SELECT child_id FROM children)")
    orphans = ("(SELECT key FROM dq_flagged WHERE check_name = 'orphan_reference' AND "
               "table_name = '{table}')")
    excluded = "child_id IN (SELECT child_id FROM dq_children)"
    aside_episodes = f"{SET_ASIDE_PREFIX}episodes"
    conditions = {
        "children": excluded,
        "episodes": f"{excluded} OR episode_id IN {orphans.format(table='episodes')}",
        "maltreatment_reports": (f"{excluded} OR report_id IN "
                                 f"{orphans.format(table='maltreatment_reports')}"),
        "placements": (f"episode_id IN (SELECT episode_id FROM {aside_episodes}) OR CAST("
                       f"{contract.PLACEMENT_ORDER_COLUMN} AS VARCHAR) IN "
                       f"{orphans.format(table='placements')}"),
        "assignments": f"episode_id IN (SELECT episode_id FROM {aside_episodes})",
    }
    for table in ("children", "episodes", "maltreatment_reports", "placements", "assignments"):
        if table not in present:
            continue
        con.execute(f"CREATE TABLE {SET_ASIDE_PREFIX}{table} AS SELECT * FROM {table} "
                    f"WHERE {conditions[table]}")
        con.execute(f"DELETE FROM {table} WHERE {conditions[table]}")


def strict_problems(con: duckdb.DuckDBPyConnection, limit: int
                    ) -> list[tuple[list[tuple[str, str, str, int, bool, str]], int]]:
    """The flags as validation problems (--strict): per file and check, the first ``limit``
    (check, file, column, row, csv, detail) and how many there are."""
    rows = con.execute(
        "SELECT check_name, file, column_name, _row, csv, detail, count(*) OVER "
        "(PARTITION BY check_name, file) AS total, row_number() OVER (PARTITION BY check_name, "
        "file ORDER BY _row) AS n FROM dq_flagged QUALIFY n <= ? ORDER BY file, check_name, _row",
        [limit]).fetchall()
    grouped: dict[tuple[str, str], tuple[list[tuple[str, str, str, int, bool, str]], int]] = {}
    for check, file, column, row, csv_file, detail, total, _ in rows:
        listed, _count = grouped.setdefault((file, check), ([], int(total)))
        listed.append((check, file, column, int(row), bool(csv_file), str(detail)))
    return list(grouped.values())


def _count_by_county(con: duckdb.DuckDBPyConnection, sql: str, kinds: tuple[str, ...],
                     counts: dict[tuple[str, str], int]) -> None:
    """Add the (county, count) rows of ``sql`` to each kind, per county and for ALL."""
    for county, count in con.execute(sql).fetchall():
        for place in (ALL, county):
            if place is None:
                continue
            for kind in kinds:
                counts[(kind, str(place))] = counts.get((kind, str(place)), 0) + int(count)


def _denominators(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    """(denominator kind, county or ALL) → records, counted on every row given (the rows set
    aside are back in the tables when this runs)."""
    counts: dict[tuple[str, str], int] = {}
    present = _tables(con)
    if "episodes" in present:
        _count_by_county(con, "SELECT county, count(*) FROM episodes GROUP BY ALL",
                         ("episodes", "rows"), counts)
        _count_by_county(con, "SELECT county, count(*) FROM episodes WHERE discharge_date "
                         "IS NOT NULL GROUP BY ALL", ("discharged",), counts)
    if {"placements", "episodes"} <= present:
        _count_by_county(con, "SELECT e.county, count(*) FROM placements p LEFT JOIN "
                         "episodes e USING (episode_id) GROUP BY ALL",
                         ("placements", "rows"), counts)
    if "maltreatment_reports" in present:
        _count_by_county(con, "SELECT county, count(*) FROM maltreatment_reports GROUP BY ALL",
                         ("rows",), counts)
    if {"children", "episodes", "maltreatment_reports"} <= present:
        _count_by_county(con, f"SELECT c.county, count(*) FROM children LEFT JOIN (SELECT "
                         f"child_id, {_CHILD_COUNTY} AS county FROM ({_child_places()}) GROUP BY "
                         "child_id) c USING (child_id) GROUP BY ALL", ("children",), counts)
    return counts


def build_report(con: duckdb.DuckDBPyConnection) -> QualityReport:
    """The report from the loaded tables (all rows) and ``dq_flagged``."""
    denominators = _denominators(con)
    flagged: dict[tuple[str, str], int] = {}
    for check, county, count in con.execute(
        "SELECT check_name, county, count(*) FROM dq_flagged GROUP BY ALL"
    ).fetchall():
        for place in (ALL, county):
            if place is not None:
                flagged[(check, place)] = flagged.get((check, place), 0) + int(count)
    counties = sorted({place for _, place in denominators} - {ALL})
    rows = [
        ReportRow(check.name, county, flagged.get((check.name, county), 0),
                  denominators.get((check.denominator, county), 0), check.limit)
        for check in CHECKS
        for county in (*counties, ALL)
    ]
    return QualityReport(rows)


def with_set_aside_counts(con: duckdb.DuckDBPyConnection, report: QualityReport
                          ) -> QualityReport:
    """The report with how many children and rows were set aside."""
    children = con.execute("SELECT count(*) FROM dq_children").fetchone()
    counts = {table: int(row[0]) for table in _tables(con) & set(PERSON_TABLES)
              if (row := con.execute(
                  f"SELECT count(*) FROM {SET_ASIDE_PREFIX}{table}").fetchone())}
    return QualityReport(report.rows, int(children[0]) if children else 0, counts)


@dataclass(frozen=True)
class ReportRow:
    check: str
    county: str
    flagged: int
    denominator: int
    limit: float

    @property
    def rate(self) -> float | None:
        return self.flagged / self.denominator if self.denominator else None

    @property
    def over_limit(self) -> bool:
        rate = self.rate
        return rate is not None and rate > self.limit

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "county": self.county, "flagged": self.flagged,
                "denominator": self.denominator, "rate": self.rate, "limit": self.limit,
                "over_limit": self.over_limit}


@dataclass(frozen=True)
class QualityReport:
    """The §1a report, and how many children and rows were set aside."""

    rows: list[ReportRow] = field(default_factory=list)
    children_set_aside: int = 0
    rows_set_aside: dict[str, int] = field(default_factory=dict)

    def for_all(self) -> list[ReportRow]:
        return [row for row in self.rows if row.county == ALL]

    @property
    def flagged(self) -> int:
        return sum(row.flagged for row in self.for_all())

    def over_limit(self) -> list[ReportRow]:
        return [row for row in self.rows if row.over_limit]

    def summary(self) -> str:
        """What an import says about data quality."""
        if not self.flagged:
            return "Data quality: no record-level problems."
        lines = [f"Data quality: {self.flagged:,} flagged record"
                 f"{'' if self.flagged == 1 else 's'}; {self.children_set_aside:,} "
                 f"child{'' if self.children_set_aside == 1 else 'ren'} set aside from every "
                 "measure (kept in the store; practicehub outcomes quality lists them)."]
        for row in self.for_all():
            if row.flagged:
                over = " OVER THE LIMIT" if row.over_limit else ""
                lines.append(f"  {row.check}: {row.flagged:,} of {row.denominator:,} "
                             f"({_percent(row.rate)}, limit {_percent(row.limit)}){over}")
        counties = sorted({row.county for row in self.over_limit() if row.county != ALL})
        if counties:
            lines.append(f"  Over a limit in: {', '.join(counties)} (their figures are marked DQ)")
        return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def store_report(con: duckdb.DuckDBPyConnection, report: QualityReport) -> None:
    """The report and the flagged rows as tables of the loaded data (kept with it)."""
    con.execute(f"CREATE TABLE {REPORT_TABLE} (\"check\" VARCHAR, county VARCHAR, "
                "flagged BIGINT, denominator BIGINT, rate DOUBLE, \"limit\" DOUBLE, "
                "over_limit BOOLEAN)")
    if report.rows:
        con.executemany(f"INSERT INTO {REPORT_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [tuple(row.as_dict().values()) for row in report.rows])
    con.execute(
        f"CREATE TABLE {FLAGS_TABLE} AS SELECT file, _row AS \"row\", "
        "CASE WHEN csv THEN _row + 1 END AS line, check_name AS \"check\", table_name, "
        "column_name, detail, county, child_id FROM dq_flagged ORDER BY table_name, _row, "
        "check_name")


def stored_report(runner: Fetcher) -> list[dict[str, Any]]:
    """The report rows of loaded data, in the order of the checks, then county (all last)."""
    rows = report_rows(runner)
    order = {check.name: n for n, check in enumerate(CHECKS)}
    return sorted(rows, key=lambda row: (order.get(row["check"], len(order)),
                                         row["county"] == ALL, row["county"]))


def render(rows: list[dict[str, Any]], fmt: str) -> str:
    """The report as CSV (columns of §1a; ``true``/``false``; rate unrounded, empty when the
    denominator is 0) or JSON."""
    if fmt == "json":
        return json.dumps(rows, indent=1) + "\n"
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row[column]) for column in REPORT_COLUMNS])
    return stream.getvalue()

