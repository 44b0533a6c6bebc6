"""Validation of a data directory against the contract (§1), as set-based DuckDB SQL.

Every rule is one query over the staged text of the files (see :mod:`sources`), so checking
millions of rows takes seconds. Each rule reports its first ``limit`` rows per file and the count
of all of them; every file and every rule is checked, so one run names every kind of error.

Rows are 1-based data rows: the first row after the header is row 1. For CSV files the message also
gives the line number in the file (row + 1, the header being line 1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from practicehub.outcomes.data import quality
from practicehub.outcomes.data.sources import (
    PARSE_DATE_MACRO,
    FileProblem,
    Source,
    date_column,
    find_sources,
    stage,
)
from practicehub.outcomes.engine import contract
from practicehub.outcomes.engine.counties import KnownCounties, state_counties

RULES: dict[str, str] = {
    "missing_file": "required file missing",
    "ambiguous_file": "table given twice",
    "unreadable_file": "file cannot be read",
    "missing_column": "required column missing",
    "empty_table": "required table with no rows",
    "missing_value": "missing required value",
    "unknown_code": "unknown code",
    "unknown_county": "unknown county code",
    "malformed_date": "malformed date",
    "malformed_integer": "malformed whole number",
    "out_of_range": "value out of range",
    "duplicate_key": "duplicate key",
    "missing_reference": "reference to a missing row",
    "end_before_start": "end_date before start_date",
    # Record-level problems (§1a): flagged and set aside, refused only with --strict.
    **{check.name: check.meaning for check in quality.CHECKS},
}
DEFAULT_LIMIT = 20

_MACROS = (
    "CREATE OR REPLACE TEMP MACRO ph_blank(x) AS (x IS NULL OR trim(x) = '')",
    "CREATE OR REPLACE TEMP MACRO ph_show(x) AS ('''' || left(x, 60) || '''')",
    PARSE_DATE_MACRO,
)
_NO_DATE = "DATE '9999-12-31'"


@dataclass(frozen=True)
class Problem:
    rule: str
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
            if self.line is not None:
                where += f" (line {self.line})"
        if self.column is not None:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ValidationReport:
    """The problems found (at most ``limit`` per rule and file) and how many there were."""

    problems: list[Problem] = field(default_factory=list)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    limit: int = DEFAULT_LIMIT
    # Record-level problems (§1a) of data that passed, found when they are loaded (store.py):
    # flagged, their children set aside.
    quality: quality.QualityReport | None = None

    @property
    def ok(self) -> bool:
        return not self.counts

    @property
    def error_count(self) -> int:
        return sum(self.counts.values())

    def add(self, problems: Iterable[Problem], count: int | None = None) -> None:
        """Record listed problems of one file and rule, and how many there are in all."""
        listed = list(problems)
        self.problems += listed
        if listed:
            key = (listed[0].file, listed[0].rule)
            self.counts[key] = self.counts.get(key, 0) + (len(listed) if count is None else count)

    def format(self) -> str:
        """The report for people: every listed problem, then a count per file and rule."""
        if self.ok:
            valid = "Data valid: " + ", ".join(f"{name} {n:,} rows"
                                               for name, n in self.rows.items())
            return valid if self.quality is None else f"{valid}\n{self.quality.summary()}"
        total = self.error_count
        lines = [f"Data invalid: {total:,} error{'' if total == 1 else 's'}; nothing was loaded."]
        lines += [str(problem) for problem in sorted(self.problems, key=_problem_order)]
        lines.append("Errors by file and rule:")
        for (file, rule), count in sorted(self.counts.items()):
            shown = sum(1 for p in self.problems if (p.file, p.rule) == (file, rule))
            more = f" (first {shown} listed)" if count > shown else ""
            lines.append(f"  {file}: {RULES[rule]} ({rule}): {count:,}{more}")
        return "\n".join(lines)


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.row or 0, problem.column or "", problem.rule)


@dataclass(frozen=True)
class RowCheck:
    """A rule on single rows of one file: rows where ``condition`` holds break it."""

    rule: str
    source: Source
    column: str
    condition: str
    detail: str


@dataclass(frozen=True)
class Check:
    """A rule across rows or files: ``sql`` selects ``_row`` and ``detail`` of offending rows."""

    rule: str
    source: Source
    column: str | None
    sql: str


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    for statement in _MACROS:
        con.execute(statement)


def _q(identifier: str) -> str:
    return '"' + identifier + '"'


def _column_checks(source: Source, column: contract.Column) -> Iterator[RowCheck]:
    name = _q(column.name)
    filled = f"NOT ph_blank({name})"
    if column.required and not column.blank_is_flagged:
        yield RowCheck("missing_value", source, column.name, f"ph_blank({name})",
                       "'missing required value'")
    if column.kind == "code":
        codes = ", ".join(f"'{code}'" for code in column.codes)
        yield RowCheck("unknown_code", source, column.name,
                       f"{filled} AND {name} NOT IN ({codes})",
                       f"'unknown code ' || ph_show({name}) || "
                       f"' (expected one of: {', '.join(column.codes)})'")
    elif column.kind == "date":
        yield RowCheck("malformed_date", source, column.name,
                       f"{filled} AND {_q(date_column(column.name))} IS NULL",
                       f"'malformed date ' || ph_show({name}) || "
                       "' (expected a real date written YYYY-MM-DD)'")
    elif column.kind == "integer":
        yield from _integer_checks(source, column)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _county_check(source: Source, column: contract.Column, counties: KnownCounties) -> RowCheck:
    """A FIPS-style county code (digits) must be a known one; the agency's own codes pass."""
    name = _q(column.name)
    known = ", ".join(_literal(code) for code in sorted(counties.codes))
    unknown = f" AND {name} NOT IN ({known})" if known else ""
    return RowCheck("unknown_county", source, column.name,
                    f"NOT ph_blank({name}) AND regexp_full_match(trim({name}), '[0-9]+')"
                    f"{unknown}",
                    f"'unknown county code ' || ph_show({name}) || "
                    f"{_literal(' (expected ' + counties.description + ')')}")


def _integer_checks(source: Source, column: contract.Column) -> Iterator[RowCheck]:
    name = _q(column.name)
    whole = f"regexp_full_match(trim({name}), '-?[0-9]{{1,18}}')"
    yield RowCheck("malformed_integer", source, column.name,
                   f"NOT ph_blank({name}) AND NOT {whole}",
                   f"'not a whole number: ' || ph_show({name})")
    bounds = []
    if column.minimum is not None:
        bounds.append(f"TRY_CAST(trim({name}) AS BIGINT) < {column.minimum}")
    if column.maximum is not None:
        bounds.append(f"TRY_CAST(trim({name}) AS BIGINT) > {column.maximum}")
    if bounds:
        low = "" if column.minimum is None else str(column.minimum)
        high = "" if column.maximum is None else str(column.maximum)
        yield RowCheck("out_of_range", source, column.name,
                       f"NOT ph_blank({name}) AND {whole} AND ({' OR '.join(bounds)})",
                       f"'value ' || ph_show({name}) || ' outside {low}..{high}'")


def _key_check(source: Source, key: tuple[str, ...]) -> Check:
    """Rows repeating an earlier row's key; duplicated keys are found first by grouping, which is
    far cheaper than ranking every row."""
    names = [_q(name) for name in key]
    shown = " || ', ' || ".join(f"'{name} ' || ph_show(s.{_q(name)})" for name in key)
    filled = " AND ".join(f"NOT ph_blank({name})" for name in names)
    keys = ", ".join(names)
    return Check(
        "duplicate_key", source, key[0] if len(key) == 1 else None,
        f"WITH repeated AS (SELECT {keys}, min(_row) AS first_row FROM {source.view} "  # noqa: S608
        f"WHERE {filled} GROUP BY {keys} HAVING count(*) > 1) "
        f"SELECT s._row, 'duplicate key ' || {shown} || ' (first at row ' || r.first_row || ')' "
        f"AS detail FROM {source.view} s JOIN repeated r USING ({keys}) WHERE s._row > r.first_row",
    )


def _reference_check(source: Source, reference: contract.Reference, target: Source) -> Check:
    column, target_column = _q(reference.column), _q(reference.target_column)
    return Check(
        "missing_reference", source, reference.column,
        f"SELECT s._row, '{reference.column} ' || ph_show(s.{column}) || ' has no row in "  # noqa: S608
        f"{target.name}' AS detail FROM {source.view} s WHERE NOT ph_blank(s.{column}) "
        f"AND NOT EXISTS (SELECT 1 FROM {target.view} t WHERE t.{target_column} = s.{column})",
    )


def _end_before_start_check(source: Source) -> RowCheck:
    return RowCheck("end_before_start", source, "end_date",
                    "end_date__date < start_date__date",
                    "'end_date ' || end_date || ' is before start_date ' || start_date")


def row_checks_for(
    source: Source, columns: set[str], counties: KnownCounties | None = None
) -> list[RowCheck]:
    """The single-row rules of a file: each column's, then those comparing columns of a row.
    County columns are checked against ``counties`` (default: the configured state's and the
    organisation tree's)."""
    spec = contract.TABLES_BY_NAME[source.table]
    checks = [
        check
        for column in spec.columns
        if column.name in columns
        for check in _column_checks(source, column)
    ]
    known = counties or state_counties()
    checks += [_county_check(source, column, known)
               for column in spec.columns if column.county and column.name in columns]
    if source.table in ("placements", "assignments"):
        checks.append(_end_before_start_check(source))
    return checks


def checks_for(sources: dict[str, Source], columns: dict[str, set[str]]) -> list[Check]:
    """Every check across rows or files that can run; ``columns`` lists each file's columns."""
    checks: list[Check] = []
    for table, source in sources.items():
        spec = contract.TABLES_BY_NAME[table]
        if spec.key and set(spec.key) <= columns[table]:
            checks.append(_key_check(source, spec.key))
        # Other tables' orphans are record-level (§1a, quality.py); an assignment must name an
        # episode (it links a worker to outcomes and is checked again when kept).
        for reference in spec.references if table == "assignments" else ():
            if reference.target in sources:
                checks.append(_reference_check(source, reference, sources[reference.target]))
    return checks


def _problems(rule: str, source: Source, column: str | None, rows: list[Any]) -> list[Problem]:
    csv = source.format == "csv"
    return [
        Problem(rule, source.name, str(detail), int(row), column, int(row) + 1 if csv else None)
        for row, detail in rows
    ]


def run_check(
    con: duckdb.DuckDBPyConnection, check: Check, limit: int
) -> tuple[list[Problem], int]:
    rows = con.execute(
        f"WITH bad AS ({check.sql}) SELECT _row, detail, count(*) OVER () AS total "  # noqa: S608
        f"FROM bad ORDER BY _row LIMIT {int(limit)}"
    ).fetchall()
    listed = [(row, detail) for row, detail, _total in rows]
    return _problems(check.rule, check.source, check.column, listed), int(rows[0][2]) if rows else 0


def run_row_checks(
    con: duckdb.DuckDBPyConnection, source: Source, checks: list[RowCheck], limit: int
) -> Iterator[tuple[list[Problem], int]]:
    """Count every row rule of a file in one pass; list examples only of rules that failed."""
    if not checks:
        return
    counted = ", ".join(f"count_if({check.condition})" for check in checks)
    totals = con.execute(f"SELECT {counted} FROM {source.view}").fetchone() or ()  # noqa: S608
    for check, total in zip(checks, totals, strict=True):
        if not total:
            continue
        rows = con.execute(
            f"SELECT _row, {check.detail} FROM {source.view} WHERE {check.condition} "  # noqa: S608
            f"ORDER BY _row LIMIT {int(limit)}"
        ).fetchall()
        yield _problems(check.rule, source, check.column, rows), int(total)


def _file_problem(problem: FileProblem) -> Problem:
    return Problem(problem.rule, problem.file, problem.message, column=problem.column)


def _quiet(_: str) -> None:
    """Progress callback that reports nothing."""


@dataclass(frozen=True)
class Checks:
    """What a validation checks beyond the contract's rules of each value.

    ``counties``: the FIPS-style county codes accepted (default: the configured state's; the
    Django side passes ``services.counties.known_counties()``, which adds the organisation tree's).
    ``require_rows``: refuse a required table (``needs_rows``) with no rows, as an import must;
    ``may_be_empty`` names tables exempt from that (stand-ins for data the source lacks).
    ``replacing``: tables to take from these sources instead of the data directory's files (the
    rows an import keeps from the earlier import).
    ``strict``: record-level problems (§1a) are errors too, as in spec v1: nothing is loaded.
    """

    counties: KnownCounties | None = None
    require_rows: bool = True
    may_be_empty: frozenset[str] = frozenset()
    replacing: Mapping[str, Source] = field(default_factory=dict)
    strict: bool = False


def _empty_table_problems(report: ValidationReport, staged: dict[str, Source],
                          checks: Checks) -> None:
    for table, source in staged.items():
        spec = contract.TABLES_BY_NAME[table]
        if (checks.require_rows and spec.needs_rows and table not in checks.may_be_empty
                and report.rows.get(source.name) == 0):
            report.add([Problem(
                "empty_table", source.name,
                f"required table {table} has no rows (only a header): importing it would "
                f"replace every stored {table} row with none")])


def _fips_style_codes(
    con: duckdb.DuckDBPyConnection, staged: dict[str, Source], columns: dict[str, set[str]],
    known: frozenset[str],
) -> set[str]:
    """FIPS-style county codes in the staged files that are not in ``known``."""
    listed = ", ".join(_literal(code) for code in sorted(known)) or "NULL"
    found: set[str] = set()
    for table, source in staged.items():
        for column in contract.TABLES_BY_NAME[table].columns:
            if not column.county or column.name not in columns[table]:
                continue
            name = _q(column.name)
            rows = con.execute(
                f"SELECT DISTINCT {name} FROM {source.view} WHERE "  # noqa: S608
                f"regexp_full_match(trim({name}), '[0-9]+') AND {name} NOT IN ({listed})"
            ).fetchall()
            found |= {str(row[0]) for row in rows}
    return found


def stage_and_validate(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    *,
    limit: int = DEFAULT_LIMIT,
    progress: Callable[[str], None] = _quiet,
    checks: Checks | None = None,
) -> tuple[ValidationReport, dict[str, Source]]:
    """Stage the files of ``data_dir`` in ``con`` and check them; the staged sources are returned
    so a caller can load them when the report is clean."""
    options = checks or Checks()
    report = ValidationReport(limit=limit)
    sources, file_problems = find_sources(data_dir)
    sources |= options.replacing
    for problem in file_problems:
        report.add([_file_problem(problem)])
    install_macros(con)
    staged: dict[str, Source] = {}
    columns: dict[str, set[str]] = {}
    for table, source in sources.items():
        progress(f"reading {source.name}")
        problems = stage(con, source)
        for problem in problems:
            report.add([_file_problem(problem)])
        if any(problem.rule == "unreadable_file" for problem in problems):
            continue
        staged[table] = source
        missing = {problem.column for problem in problems if problem.column}
        columns[table] = set(contract.TABLES_BY_NAME[table].column_names) - missing
        count = con.execute(f"SELECT count(*) FROM {source.view}").fetchone()  # noqa: S608
        report.rows[source.name] = int(count[0]) if count else 0
    _empty_table_problems(report, staged, options)
    counties = options.counties or state_counties()
    counties = counties.resolve(_fips_style_codes(con, staged, columns, counties.codes))
    for table, source in staged.items():
        progress(f"checking values in {source.name}")
        row_checks = row_checks_for(source, columns[table], counties)
        for found, total in run_row_checks(con, source, row_checks, limit):
            report.add(found, total)
    for check in checks_for(staged, columns):
        progress(f"checking {check.source.name}: {RULES[check.rule]}")
        found, total = run_check(con, check, limit)
        if total:
            report.add(found, total)
    return report, staged


def add_flags(report: ValidationReport, con: duckdb.DuckDBPyConnection) -> None:
    """With --strict: every flagged record (§1a) as an error of the report."""
    for listed, total in quality.strict_problems(con, report.limit):
        report.add([Problem(check, file, detail, row, column, row + 1 if csv else None)
                    for check, file, column, row, csv, detail in listed], total)


def validate_directory(
    data_dir: Path, *, limit: int = DEFAULT_LIMIT, checks: Checks | None = None
) -> ValidationReport:
    """Check a data directory's structure as an import would, without keeping anything (an
    in-memory DuckDB is thrown away). The record-level checks (§1a) run on loaded data:
    ``store.load_directory``."""
    con = duckdb.connect()
    try:
        report, _ = stage_and_validate(con, data_dir, limit=limit, checks=checks)
    finally:
        con.close()
    return report
