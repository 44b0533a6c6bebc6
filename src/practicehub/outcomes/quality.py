# SQL here is built from the contract's table and column names and the checks above, never from
# user input (file names are quoted as literals).
# ruff: noqa: S608
"""Data quality (spec §1a): record-level problems are flagged, their children set aside, and the
load goes on.

Validation (:mod:`validation`) refuses structural problems. What passes is staged in DuckDB; here
each record-level check of §1a is one query over the staged views that names the flagged rows
(file, row, column, detail). From the flags come

- the children set aside: a child with any flagged record (its own row, an episode, one of their
  placements, a report), and orphan rows themselves. :func:`split_statements` loads the contract
  tables without them (what every measure reads) and keeps them whole in ``set_aside_<table>``,
  so nothing is lost;
- the report: one row per check and county and one for all the data (``ALL``): flagged,
  denominator, rate, limit, over_limit; stored as the ``data_quality`` table with the flagged rows
  as ``data_quality_flags``.

:func:`marks_for` reads the stored report back for ``engine.compute``, which marks every result
row ``DQ`` or ``ok``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import duckdb

from practicehub.outcomes import contract
from practicehub.outcomes.output import csv_cell
from practicehub.outcomes.sources import Source

ALL = "all"  # the county column of the rows for all the data
REPORT_TABLE = "data_quality"
FLAGS_TABLE = "data_quality_flags"
SET_ASIDE_PREFIX = contract.SET_ASIDE_PREFIX
REPORT_COLUMNS = ("check", "county", "flagged", "denominator", "rate", "limit", "over_limit")
FLAG_COLUMNS = ("file", "row", "line", "check", "table_name", "column_name", "detail", "county",
                "child_id")
# Tables whose rows can be set aside (population never is).
PERSON_TABLES = ("children", "episodes", "placements", "maltreatment_reports", "assignments")


@dataclass(frozen=True)
class QualityCheck:
    """One record-level check of §1a: the rows of ``table`` it flags and its rate's limit."""

    name: str
    table: str
    column: str
    denominator: str  # one of DENOMINATORS
    limit: float
    meaning: str


DENOMINATORS = {
    "episodes": "episodes",
    "discharged": "discharged episodes",
    "children": "children",
    "placements": "placements",
    "rows": "rows of that table",
}

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


@dataclass(frozen=True)
class Flag:
    """The query naming the rows one check flags in one file: ``_row`` and ``detail``."""

    check: str
    source: Source
    column: str
    sql: str


def _children_ids(children: Source) -> str:
    return f"SELECT child_id FROM {children.view} WHERE NOT ph_blank(child_id)"


def _episode_flags(episodes: Source, children: Source | None) -> Iterable[Flag]:
    view = episodes.view
    # Orphan episodes count in orphan_reference alone.
    known = f" AND child_id IN ({_children_ids(children)})" if children else ""
    yield Flag("discharge_before_removal", episodes, "discharge_date",
               "SELECT _row, 'discharge_date ' || discharge_date || ' is before removal_date ' "
               f"|| removal_date AS detail FROM {view} "
               f"WHERE discharge_date__date < removal_date__date{known}")
    yield Flag("same_day_exit", episodes, "discharge_date",
               "SELECT _row, 'discharge_date ' || discharge_date || ' is the removal_date' "
               f"AS detail FROM {view} "
               f"WHERE discharge_date__date = removal_date__date{known}")
    yield Flag("missing_discharge_reason", episodes, "discharge_reason",
               "SELECT _row, 'discharge_reason is empty although discharge_date ' || "
               f"discharge_date || ' is set' AS detail FROM {view} "
               f"WHERE discharge_date__date IS NOT NULL AND ph_blank(discharge_reason){known}")
    yield _overlap_flag(episodes, known)
    if children is not None:
        yield from _birth_flags(episodes, children)


def _overlap_flag(episodes: Source, known: str) -> Flag:
    """Episodes occupy [removal_date, discharge_date): a re-entry on the discharge day is fine.
    Both episodes of an overlapping pair are flagged."""
    return Flag(
        "overlapping_episodes", episodes, "removal_date",
        f"WITH e AS (SELECT _row, episode_id, child_id, removal_date__date AS r, "
        f"coalesce(discharge_date__date, {_NO_DATE}) AS d FROM {episodes.view} "
        "WHERE removal_date__date IS NOT NULL AND NOT ph_blank(child_id) AND "
        f"(discharge_date__date IS NULL OR discharge_date__date >= removal_date__date){known}) "
        "SELECT b._row, 'episode ' || ph_show(b.episode_id) || ' overlaps episode ' || "
        "ph_show(a.episode_id) || ' (row ' || a._row || ') of child ' || ph_show(b.child_id) "
        "AS detail FROM e a JOIN e b ON a.child_id = b.child_id AND a._row <> b._row "
        "WHERE a.r < b.d AND b.r < a.d",
    )


def _birth_flags(episodes: Source, children: Source) -> Iterable[Flag]:
    births = (f"WITH b AS (SELECT child_id, birth_date__date AS birth, _row AS child_row "
              f"FROM {children.view} WHERE birth_date__date IS NOT NULL) ")
    for check, column in (("birth_after_removal", "removal_date"),
                          ("birth_after_discharge", "discharge_date")):
        yield Flag(
            check, episodes, column,
            f"{births}SELECT e._row, '{column} ' || e.{column} || ' is before the child''s "
            "birth_date ' || strftime(b.birth, '%Y-%m-%d') || "
            f"' ({children.name} row ' || b.child_row || ')' AS detail FROM {episodes.view} e "
            f"JOIN b ON e.child_id = b.child_id WHERE e.{column}__date < b.birth",
        )


def _placement_flag(placements: Source, episodes: Source) -> Flag:
    spans = (f"WITH e AS (SELECT episode_id, removal_date__date AS r, "
             f"discharge_date__date AS d FROM {episodes.view}) ")
    return Flag(
        "placement_outside_episode", placements, "start_date",
        f"{spans}SELECT p._row, 'start_date ' || p.start_date || CASE WHEN "
        "p.start_date__date < e.r THEN ' is before removal_date ' || strftime(e.r, '%Y-%m-%d')"
        " ELSE ' is on or after discharge_date ' || strftime(e.d, '%Y-%m-%d') END || "
        f"' of episode ' || ph_show(p.episode_id) AS detail FROM {placements.view} p "
        "JOIN e ON p.episode_id = e.episode_id WHERE p.start_date__date < e.r "
        "OR p.start_date__date >= e.d",
    )


def _orphan_flag(source: Source, column: str, target: Source, target_column: str) -> Flag:
    return Flag(
        "orphan_reference", source, column,
        f"SELECT _row, '{column} ' || ph_show({column}) || ' has no row in "
        f"{target.name}' AS detail FROM {source.view} s WHERE NOT ph_blank(s.{column}) AND "
        f"NOT EXISTS (SELECT 1 FROM {target.view} t WHERE t.{target_column} = s.{column})",
    )


def _missing_birth_flag(children: Source) -> Flag:
    return Flag("missing_birth_date", children, "birth_date",
                "SELECT _row, 'birth_date is empty for child ' || ph_show(child_id) AS detail "
                f"FROM {children.view} WHERE ph_blank(birth_date)")


def flags_for(sources: Mapping[str, Source]) -> list[Flag]:
    """Every record-level check that the staged tables allow."""
    children = sources.get("children")
    episodes = sources.get("episodes")
    placements = sources.get("placements")
    reports = sources.get("maltreatment_reports")
    flags: list[Flag] = []
    if children is not None:
        flags.append(_missing_birth_flag(children))
    if episodes is not None:
        flags += _episode_flags(episodes, children)
        if placements is not None:
            flags.append(_placement_flag(placements, episodes))
            flags.append(_orphan_flag(placements, "episode_id", episodes, "episode_id"))
    if children is not None:
        for source in (episodes, reports):
            if source is not None:
                flags.append(_orphan_flag(source, "child_id", children, "child_id"))
    return flags


def create_flags(con: duckdb.DuckDBPyConnection, sources: Mapping[str, Source]) -> None:
    """The temporary table ``dq_flagged``: every flagged row (once per check) of the staged
    files, with the child it belongs to and its county."""
    parts = [
        f"SELECT DISTINCT '{flag.check}' AS check_name, '{flag.source.table}' AS table_name, "
        f"'{flag.source.name.replace(chr(39), chr(39) * 2)}' AS file, "
        f"{'true' if flag.source.format == 'csv' else 'false'} AS csv, "
        f"'{flag.column}' AS column_name, _row, detail FROM ({flag.sql})"
        for flag in flags_for(sources)
    ]
    body = " UNION ALL ".join(parts) if parts else (
        "SELECT NULL::VARCHAR AS check_name, NULL::VARCHAR AS table_name, NULL::VARCHAR AS file,"
        " NULL::BOOLEAN AS csv, NULL::VARCHAR AS column_name, NULL::BIGINT AS _row, "
        "NULL::VARCHAR AS detail WHERE false")
    con.execute(f"CREATE OR REPLACE TEMP TABLE dq_raw AS {body}")
    _create_row_facts(con, sources)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE dq_flagged AS SELECT f.*, r.county, r.child_id "
        "FROM dq_raw f LEFT JOIN dq_rows r ON r.table_name = f.table_name AND r._row = f._row"
    )


def _create_row_facts(con: duckdb.DuckDBPyConnection, sources: Mapping[str, Source]) -> None:
    """``dq_rows``: each staged person-level row with its county and child (§1a's attribution:
    an episode's county; a report's; a placement's episode's; a child's earliest episode's,
    else its earliest report's), and whether it is an orphan."""
    children = sources.get("children")
    episodes = sources.get("episodes")
    reports = sources.get("maltreatment_reports")
    placements = sources.get("placements")
    selects = []
    known = f"(SELECT child_id FROM {children.view})" if children else "(SELECT NULL)"
    if episodes is not None:
        selects.append(f"SELECT 'episodes' AS table_name, _row, county, child_id, "
                       f"child_id NOT IN {known} AS orphan, "
                       f"discharge_date__date IS NOT NULL AS discharged FROM {episodes.view}")
    if reports is not None:
        selects.append(f"SELECT 'maltreatment_reports', _row, county, child_id, "
                       f"child_id NOT IN {known}, false FROM {reports.view}")
    if placements is not None and episodes is not None:
        selects.append(
            "SELECT 'placements', p._row, e.county, e.child_id, e.episode_id IS NULL, false "
            f"FROM {placements.view} p LEFT JOIN (SELECT episode_id, any_value(county) AS county, "
            f"any_value(child_id) AS child_id FROM {episodes.view} GROUP BY episode_id) e "
            "ON p.episode_id = e.episode_id")
    if children is not None:
        selects.append(_child_rows(children, episodes, reports))
    body = " UNION ALL ".join(selects) if selects else (
        "SELECT NULL::VARCHAR AS table_name, NULL::BIGINT AS _row, NULL::VARCHAR AS county, "
        "NULL::VARCHAR AS child_id, NULL::BOOLEAN AS orphan, NULL::BOOLEAN AS discharged "
        "WHERE false")
    con.execute(f"CREATE OR REPLACE TEMP TABLE dq_rows AS {body}")


def _child_rows(children: Source, episodes: Source | None, reports: Source | None) -> str:
    firsts = []
    if episodes is not None:
        firsts.append(f"SELECT child_id, 1 AS kind, removal_date__date AS day, "
                      f"episode_id AS id, county FROM {episodes.view}")
    if reports is not None:
        firsts.append(f"SELECT child_id, 2, report_date__date, report_id, county "
                      f"FROM {reports.view} WHERE NOT ph_blank(county)")
    if not firsts:
        return (f"SELECT 'children', _row, NULL, child_id, false, false "
                f"FROM {children.view}")
    union = " UNION ALL ".join(firsts)
    return (
        f"SELECT 'children', c._row, f.county, c.child_id, false, false "
        f"FROM {children.view} c "
        f"LEFT JOIN (SELECT child_id, arg_min(county, (kind, day, id)) AS county FROM ({union}) "
        "GROUP BY child_id) f ON c.child_id = f.child_id"
    )


def create_set_aside(con: duckdb.DuckDBPyConnection, sources: Mapping[str, Source]) -> None:
    """``dq_aside``: the staged rows left out of the measures (table, row): every row of a child
    with a flagged record, orphan rows, and the placements and assignments of episodes left out."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE dq_children AS SELECT DISTINCT child_id FROM dq_flagged "
        "WHERE child_id IN (SELECT child_id FROM dq_rows WHERE table_name = 'children')")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE dq_aside AS SELECT table_name, _row FROM dq_rows "
        "WHERE orphan OR child_id IN (SELECT child_id FROM dq_children) OR (_row, table_name) IN "
        "(SELECT (_row, table_name) FROM dq_flagged)")
    episodes = sources.get("episodes")
    if episodes is None:
        return
    aside_episodes = (f"SELECT e.episode_id FROM {episodes.view} e JOIN dq_aside a "
                      "ON a.table_name = 'episodes' AND a._row = e._row")
    for table in ("placements", "assignments"):
        source = sources.get(table)
        if source is not None:
            con.execute(
                f"INSERT INTO dq_aside SELECT '{table}', _row FROM {source.view} "
                f"WHERE episode_id IN ({aside_episodes}) AND _row NOT IN "
                f"(SELECT _row FROM dq_aside WHERE table_name = '{table}')")


def row_filter(table: str, *, aside: bool) -> str:
    """The WHERE clause selecting a staged table's rows kept (or set aside)."""
    test = "IN" if aside else "NOT IN"
    return f"WHERE _row {test} (SELECT _row FROM dq_aside WHERE table_name = '{table}')"


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


def _denominators(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], int]:
    """(denominator kind, county or ALL) → rows."""
    counts: dict[tuple[str, str], int] = {}
    grouped = con.execute(
        "SELECT table_name, county, count(*), count_if(discharged) FROM dq_rows GROUP BY ALL"
    ).fetchall()
    kinds = {"episodes": ("episodes", "rows"), "children": ("children",),
             "placements": ("placements", "rows"), "maltreatment_reports": ("rows",)}
    for table, county, rows, discharged in grouped:
        for place in (ALL, county):
            if place is None:
                continue
            for kind in kinds.get(str(table), ()):
                counts[(kind, place)] = counts.get((kind, place), 0) + int(rows)
            if table == "episodes":
                counts[("discharged", place)] = (counts.get(("discharged", place), 0)
                                                 + int(discharged))
    return counts


def build_report(con: duckdb.DuckDBPyConnection) -> QualityReport:
    """The report from ``dq_rows``, ``dq_flagged`` and ``dq_aside``."""
    denominators = _denominators(con)
    flagged: dict[tuple[str, str], int] = {}
    for check, county, count in con.execute(
        "SELECT check_name, county, count(*) FROM dq_flagged GROUP BY ALL"
    ).fetchall():
        for place in (ALL, county):
            if place is not None:
                flagged[(check, place)] = flagged.get((check, place), 0) + int(count)
    counties = sorted({str(row[0]) for row in con.execute(
        "SELECT DISTINCT county FROM dq_rows WHERE county IS NOT NULL").fetchall()})
    rows = [
        ReportRow(check.name, county, flagged.get((check.name, county), 0),
                  denominators.get((check.denominator, county), 0), check.limit)
        for check in CHECKS
        for county in (*counties, ALL)
    ]
    children = con.execute("SELECT count(*) FROM dq_children").fetchone()
    aside = dict(con.execute("SELECT table_name, count(*) FROM dq_aside GROUP BY ALL").fetchall())
    return QualityReport(rows, int(children[0]) if children else 0,
                         {str(table): int(n) for table, n in aside.items()})


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


class Fetcher(Protocol):
    """Where loaded data are (an engine Runner): its SQL dialect, and rows of a query."""

    @property
    def dialect(self) -> str: ...

    def fetch(self, sql: str) -> list[dict[str, Any]]: ...


def has_report(runner: Fetcher) -> bool:
    """Whether the loaded data hold a report (data imported before v2 do not; a backend without
    an information schema cannot tell)."""
    if runner.dialect not in ("duckdb", "postgres"):
        return False
    found = runner.fetch(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = "
        f"'{REPORT_TABLE}' AND table_schema = current_schema()")
    return bool(found[0]["n"])


def stored_report(runner: Fetcher) -> list[dict[str, Any]]:
    """The report rows of loaded data, in the order of the checks, then county (all last)."""
    columns = ", ".join(f'"{name}"' for name in REPORT_COLUMNS)
    rows = runner.fetch(f"SELECT {columns} FROM {REPORT_TABLE}")
    order = {check.name: n for n, check in enumerate(CHECKS)}
    return sorted(rows, key=lambda row: (order.get(row["check"], len(order)),
                                         row["county"] == ALL, row["county"]))


def marks_for(runner: Fetcher) -> Marks:
    """What the loaded data's report marks over a limit (nothing without a report)."""
    if not has_report(runner):
        return NO_MARKS
    report = stored_report(runner)
    if not any(row["over_limit"] for row in report):
        return NO_MARKS
    offices = runner.fetch("SELECT DISTINCT office, county FROM episodes "
                           "WHERE office IS NOT NULL")
    return marks_from(report, [(row["office"], row["county"]) for row in offices])


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


@dataclass(frozen=True)
class Marks:
    """Which data are over a limit for any check: counties, offices (by their episodes'
    counties), and all the data."""

    counties: frozenset[str] = frozenset()
    everything: bool = False
    office_counties: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def mark(self, groups: Mapping[str, str | None],
             scope_counties: Sequence[str] | None = None) -> str:
        """``DQ`` or ``ok`` for a result row with these groups (§1a Marking)."""
        if "county" in groups:
            return "DQ" if groups["county"] in self.counties else "ok"
        if "office" in groups:
            counties = self.office_counties.get(groups["office"] or "", frozenset())
            return "DQ" if counties & self.counties else "ok"
        if scope_counties:
            return "DQ" if set(scope_counties) & self.counties else "ok"
        return "DQ" if self.everything else "ok"


NO_MARKS = Marks()


def marks_from(report_rows: Iterable[Mapping[str, Any]],
               offices: Iterable[tuple[str | None, str | None]] = ()) -> Marks:
    over = [row for row in report_rows if row["over_limit"]]
    counties = frozenset(str(row["county"]) for row in over if row["county"] != ALL)
    office_counties: dict[str, set[str]] = {}
    for office, county in offices:
        if office is not None and county is not None:
            office_counties.setdefault(office, set()).add(county)
    return Marks(counties, any(row["county"] == ALL for row in over),
                 {office: frozenset(found) for office, found in office_counties.items()})
