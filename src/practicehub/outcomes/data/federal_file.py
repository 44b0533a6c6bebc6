"""Converting a federal foster care file (AFCARS, 1993 layout) into a contract data directory.

The file has one row per child record, named by the element names of the national archive's
AFCARS foster care files (``RecNumbr``, ``DOB``, ``LatRemDt``, ``CurPlSet``, ``DISREASN`` …) and
holding the federal codes. It describes only the record's *latest* removal episode and *current*
placement setting, so the converted data hold one episode and at most one placement per child:
earlier episodes and earlier placements are lost (docs/outcomes.md, "Importing the federal foster
care file"). Every problem is named by file, row and column with the report classes of
:mod:`validation`, and nothing is written unless the whole file converts; the converted directory
is then checked against the contract like any other.

This module converts the whole file and imports it: :mod:`federal_reading` reads the file,
:mod:`federal_records` each record.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from practicehub.outcomes.data import store
from practicehub.outcomes.data.federal_reading import (
    COUNTY,
    RECORD_NUMBER,
    SOURCE_FORMATS,
    FederalFile,
    Row,
    located_problem,
    missing_columns,
    read_federal_file,
)
from practicehub.outcomes.data.federal_records import (
    RecordReader,
    convert_record,
    county_code,
    federal_counties,
)
from practicehub.outcomes.data.keep import ImportResult
from practicehub.outcomes.data.validation import DEFAULT_LIMIT, Problem, ValidationReport
from practicehub.outcomes.data.workfiles import WorkFiles, remove, stop_on_terminate
from practicehub.outcomes.engine import contract
from practicehub.outcomes.engine.counties import KnownCounties, is_fips_style

# Tables a federal file has no data for: an import keeps the earlier import's rows of them.
STAND_INS = frozenset({"maltreatment_reports"})


# Printed after every conversion, because the numbers come out plausible and wrong otherwise.
MEASURE_LIMITS = (
    "Not computable from this file alone: reentry_12m (no later episode is ever seen, so it "
    "reads 0), placement_moves_per_1000_days (one placement per episode, so it reads 0), the "
    "maltreatment measures (no reports); permanency_12m_entries uses the latest episode where "
    "the federal measure uses the first."
)


class ConversionError(store.InvalidDataError):
    """The federal file cannot be converted; ``report`` names every problem."""


@dataclass(frozen=True)
class Conversion:
    """The converted rows and what the federal file held that the contract cannot."""

    children: list[Row] = field(default_factory=list)
    episodes: list[Row] = field(default_factory=list)
    placements: list[Row] = field(default_factory=list)
    earlier_episodes: int = 0
    earlier_placements: int = 0
    without_setting: int = 0

    @property
    def still_in_care(self) -> int:
        return sum(1 for episode in self.episodes if not episode["discharge_date"])

    def summary(self) -> str:
        """What was converted and what was left out, for the person importing."""
        records = len(self.episodes)
        return (
            f"Converted {records:,} federal records: {records:,} children, {records:,} "
            f"episodes ({self.still_in_care:,} still in care), {len(self.placements):,} "
            f"placements.\nLeft out (the file keeps only the latest episode and the current "
            f"setting): earlier episodes {self.earlier_episodes:,} (by TotalRem), earlier "
            f"placements {self.earlier_placements:,} (by NumPlep), records without a current "
            f"setting date {self.without_setting:,}.\n{MEASURE_LIMITS}"
        )


def _duplicates(file: FederalFile) -> Iterator[Problem]:
    first_row: dict[str, int] = {}
    for number, row in enumerate(file.rows, start=1):
        record = row.get(RECORD_NUMBER, "")
        if not record:
            continue
        if record in first_row:
            yield located_problem("duplicate_key", file,
                           f"duplicate key RecNumbr '{record[:60]}' (first at row "
                           f"{first_row[record]}): give one row per child record",
                           number, file.headers[RECORD_NUMBER])
        else:
            first_row[record] = number


def _report(problems: list[Problem], limit: int) -> ValidationReport:
    """Problems grouped by file and rule as validation reports them: the first ``limit`` listed,
    all counted."""
    report = ValidationReport(limit=limit)
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault((problem.file, problem.rule), []).append(problem)
    for group in groups.values():
        group.sort(key=lambda problem: (problem.row or 0, problem.column or ""))
        report.add(group[:limit], len(group))
    return report

def _empty_file(file: FederalFile) -> list[Problem]:
    if file.rows:
        return []
    return [located_problem("empty_table", file, "the federal file has no records (only a header): "
                     "importing it would replace every stored child with none")]


def convert_rows(
    file: FederalFile, counties: KnownCounties | None = None
) -> tuple[Conversion, list[Problem]]:
    """Convert every record of a read federal file; the problems name its rows and columns.
    FIPS-style county codes must be in ``counties`` (default: the configured state's) or the
    archive's mask."""
    problems = missing_columns(file)
    if problems:
        return Conversion(), problems
    problems += _empty_file(file)
    problems += _duplicates(file)
    codes = (row.get(COUNTY, "") for row in file.rows)
    known = federal_counties(counties).resolve(
        county_code(code) for code in codes if is_fips_style(code))
    converted = [
        convert_record(RecordReader(file, number, row, problems, known))
        for number, row in enumerate(file.rows, start=1)
        if number not in file.ragged
    ]
    conversion = Conversion(
        children=[record.child for record in converted],
        episodes=[record.episode for record in converted],
        placements=[record.placement for record in converted if record.placement],
        earlier_episodes=sum(record.earlier_episodes for record in converted),
        earlier_placements=sum(record.earlier_placements for record in converted),
        without_setting=sum(1 for record in converted if record.placement is None),
    )
    return conversion, problems


def _write_table(directory: Path, table: str, rows: list[Row]) -> None:
    with (directory / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=contract.TABLES_BY_NAME[table].column_names,
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _population_problems(population: Path | None) -> list[Problem]:
    if population is None:
        return []
    if not population.is_file():
        return [located_problem("missing_file", population.name, "population file not found")]
    if population.suffix.lower() not in SOURCE_FORMATS:
        return [located_problem("unreadable_file", population.name,
                         "cannot be read: expected population.csv or a .parquet file")]
    return []


# What the conversion finds that §1a flags instead of refusing (quality.py checks the converted
# tables for these, and more).
RECORD_LEVEL_RULES = frozenset({"missing_discharge_reason", "discharge_before_removal",
                                "birth_after_removal", "placement_outside_episode"})


def convert(
    federal_file: Path, out_dir: Path, *, population: Path | None = None,
    limit: int = DEFAULT_LIMIT, counties: KnownCounties | None = None, strict: bool = False,
) -> Conversion:
    """Write the contract data directory ``out_dir`` (new or empty) from ``federal_file``.

    The federal file has no maltreatment reports (they come from NCANDS) and no population:
    maltreatment_reports is written empty, and population is copied from ``population`` or
    written empty. Raises :class:`ConversionError`, writing nothing, when any record is wrong;
    record-level problems (§1a) are left to the import's data-quality checks, which flag them in
    the converted tables and set their children aside, unless ``strict``.
    """
    if out_dir.exists() and any(out_dir.iterdir()):
        raise ValueError(f"{out_dir} is not empty: convert into a new directory")
    file, problems = read_federal_file(federal_file)
    # A file that could not be read at all has no rows to check; a ragged row still leaves
    # the others worth checking, so that one run names every problem.
    readable = not any(problem.row is None for problem in problems)
    problems += _population_problems(population)
    conversion, record_problems = (convert_rows(file, counties) if readable
                                   else (Conversion(), []))
    problems += [problem for problem in record_problems
                 if strict or problem.rule not in RECORD_LEVEL_RULES]
    if problems:
        raise ConversionError(_report(problems, limit))
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_table(out_dir, "children", conversion.children)
    _write_table(out_dir, "episodes", conversion.episodes)
    _write_table(out_dir, "placements", conversion.placements)
    _write_table(out_dir, "maltreatment_reports", [])
    if population is None:
        _write_table(out_dir, "population", [])
    else:
        shutil.copyfile(population, out_dir / f"population{population.suffix.lower()}")
    return conversion


def import_federal_file(
    federal_file: Path, database: Path, *, population: Path | None = None,
    progress: Callable[[str], None] = lambda _: None, replace_all: bool = False,
    counties: KnownCounties | None = None, strict: bool = False,
) -> tuple[Conversion, ImportResult]:
    """Convert ``federal_file`` and import the result into ``database`` like a data directory.

    Raises :class:`ConversionError` for problems in the federal file and
    :class:`store.InvalidDataError` for problems the contract validation finds in the converted
    tables; either way the database is left as it was. The tables the file has no data for
    (maltreatment reports, and the population unless ``population`` is given) keep the earlier
    import's rows unless ``replace_all``.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    with stop_on_terminate():
        # Beside the database, so that the next import removes it if this one is killed.
        scratch = WorkFiles.for_target(database, store.parquet_dir(database)).federal
        try:
            converted = scratch / "data"
            progress(f"converting {federal_file.name}")
            conversion = convert(federal_file, converted, population=population,
                                 counties=counties, strict=strict)
            stand_ins = STAND_INS | ({"population"} if population is None else set())
            result = store.import_directory(
                converted, database, progress=progress, replace_all=replace_all,
                counties=federal_counties(counties), stand_ins=frozenset(stand_ins),
                strict=strict)
        finally:
            remove(scratch)
    return conversion, result
