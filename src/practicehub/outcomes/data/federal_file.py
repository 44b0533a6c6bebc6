"""Converting a federal foster care file (AFCARS, 1993 layout) into a contract data directory.

The file has one row per child record, named by the element names of the national archive's
AFCARS foster care files (``RecNumbr``, ``DOB``, ``LatRemDt``, ``CurPlSet``, ``DISREASN`` …) and
holding the federal codes. It describes only the record's *latest* removal episode and *current*
placement setting, so the converted data hold one episode and at most one placement per child:
earlier episodes and earlier placements are lost (docs/outcomes.md, "Importing the federal foster
care file"). Every problem is named by file, row and column with the report classes of
:mod:`validation`, and nothing is written unless the whole file converts; the converted directory
is then checked against the contract like any other.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from practicehub.outcomes.data import store
from practicehub.outcomes.data.keep import ImportResult
from practicehub.outcomes.data.validation import DEFAULT_LIMIT, Problem, ValidationReport
from practicehub.outcomes.data.workfiles import WorkFiles, remove, stop_on_terminate
from practicehub.outcomes.engine import contract
from practicehub.outcomes.engine.counties import KnownCounties, is_fips_style, state_counties

# Element names as the national archive spells them; a file's header is matched without regard
# to case (files are seen as RECNUMBR, RecNumbr and recnumbr).
RECORD_NUMBER = "RecNumbr"  # E4, stable across report periods
COUNTY = "FIPSCode"  # E3, county of the responsible agency
BIRTH_DATE = "DOB"  # E6
SEX = "Sex"  # E7
RACE_ELEMENTS = {  # E8a-e, each 1 = applies, 0 = does not apply
    "AmIAKN": "race_aian",
    "Asian": "race_asian",
    "BlkAfrAm": "race_black",
    "HawaiiPI": "race_nhopi",
    "White": "race_white",
}
RACE_UNDETERMINED = "UnToDetm"  # E8f
HISPANIC = "HisOrgin"  # E9
FIRST_REMOVAL_DATE = "Rem1Dt"  # E18
TOTAL_REMOVALS = "TotalRem"  # E19
LATEST_REMOVAL_DATE = "LatRemDt"  # E21
SETTING_DATE = "CurSetDt"  # E23
PLACEMENT_COUNT = "NumPlep"  # E24, placements in the latest episode
SETTING = "CurPlSet"  # E41
DISCHARGE_DATE = "DoDFCDt"  # E56
DISCHARGE_REASON = "DISREASN"  # E58

REQUIRED_ELEMENTS = (
    RECORD_NUMBER, COUNTY, BIRTH_DATE, SEX, *RACE_ELEMENTS, HISPANIC, LATEST_REMOVAL_DATE,
    SETTING_DATE, SETTING, DISCHARGE_DATE, DISCHARGE_REASON,
)
# Only checked and counted for the summary of what the conversion leaves out, so a file may
# lack them.
OPTIONAL_ELEMENTS = (RACE_UNDETERMINED, FIRST_REMOVAL_DATE, TOTAL_REMOVALS, PLACEMENT_COUNT)
ELEMENTS = REQUIRED_ELEMENTS + OPTIONAL_ELEMENTS

SEX_CODES = {"1": "male", "2": "female"}
FLAG_CODES = {"0": "no", "1": "yes"}
HISPANIC_CODES = {"1": "yes", "2": "no", "3": "unknown"}
SETTING_CODES = {
    "1": "pre_adoptive",
    "2": "relative_foster",
    "3": "nonrelative_foster",
    "4": "group_home",
    "5": "institution",
    "6": "supervised_independent_living",
    "7": "runaway",
    "8": "trial_home_visit",
}
NOT_DISCHARGED = "0"  # DISREASN 0: not applicable, the child is still in care
DISCHARGE_CODES = {
    NOT_DISCHARGED: "",
    "1": "reunification",
    "2": "relative",
    "3": "adoption",
    "4": "emancipation",
    "5": "guardianship",
    "6": "transfer",
    "7": "runaway",
    "8": "death",
}
SOURCE_FORMATS = (".csv", ".parquet")
_COMPACT_DATE = re.compile(r"[0-9]{8}")  # CCYYMMDD, the 1993 submission layout
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FIPS = re.compile(r"[0-9]{1,5}")
# The national archive's code for a county withheld because it is small: kept as its own group.
MASKED_COUNTY = "8"
MASKED = KnownCounties(frozenset({MASKED_COUNTY}), "the archive's small-county mask 8")
# Tables a federal file has no data for: an import keeps the earlier import's rows of them.
STAND_INS = frozenset({"maltreatment_reports"})
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")

Row = dict[str, str]

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


# Reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FederalFile:
    """The file's rows as trimmed text by element name, and the header name of each element."""

    name: str
    is_csv: bool
    headers: dict[str, str]
    rows: list[Row]
    # Rows whose fields do not line up with the header: reported once, not checked further.
    ragged: frozenset[int] = frozenset()


def _problem(rule: str, file: FederalFile | str, message: str, row: int | None = None,
             column: str | None = None) -> Problem:
    if isinstance(file, str):
        return Problem(rule, file, message, row, column)
    # A CSV row's line in the file: the header is line 1 (validation.py numbers rows the same).
    line = row + 1 if row is not None and file.is_csv else None
    return Problem(rule, file.name, message, row, column, line)


def _match_headers(header: list[str]) -> dict[str, str]:
    by_lower = {name.strip().lower(): name for name in reversed(header)}
    return {element: by_lower[element.lower()] for element in ELEMENTS
            if element.lower() in by_lower}


def _parquet_text(value: Any) -> str:
    """A Parquet value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    # Codes stored as floats (1.0) by statistics packages read as the whole number they are.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(path: Path, problems: list[Problem]) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        rows = list(reader)
    for number, values in enumerate(rows, start=1):
        if len(values) != len(header):
            problems.append(Problem(
                "unreadable_file", path.name,
                f"cannot be read: the row has {len(values)} fields, the header {len(header)}",
                number, None, number + 1,
            ))
    return header, rows


def read_federal_file(path: Path) -> tuple[FederalFile, list[Problem]]:
    """The rows of a federal CSV or Parquet file, and the problems reading it."""
    suffix = path.suffix.lower()
    empty = FederalFile(path.name, suffix == ".csv", {}, [])
    if not path.is_file():
        return empty, [_problem("missing_file", path.name, "federal file not found")]
    if suffix not in SOURCE_FORMATS:
        return empty, [_problem("unreadable_file", path.name,
                                "cannot be read: expected a .csv or .parquet file")]
    problems: list[Problem] = []
    try:
        if suffix == ".csv":
            header, values = _read_csv(path, problems)
        else:
            table = pq.read_table(path)
            header = list(table.column_names)
            values = [[_parquet_text(value) for value in row.values()]
                      for row in table.to_pylist()]
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return empty, [_problem("unreadable_file", path.name, f"cannot be read: {error}")]
    if not header:
        return empty, [_problem("unreadable_file", path.name,
                                "cannot be read: the file is empty: a header row is needed")]
    headers = _match_headers(header)
    position = {name: index for index, name in enumerate(header)}
    rows = [
        {element: row[position[name]].strip() if position[name] < len(row) else ""
         for element, name in headers.items()}
        for row in values
    ]
    ragged = frozenset(problem.row for problem in problems if problem.row is not None)
    return FederalFile(path.name, empty.is_csv, headers, rows, ragged), problems


def _missing_columns(file: FederalFile) -> list[Problem]:
    found = ", ".join(file.headers.values())
    return [
        _problem("missing_column", file,
                 f"required element missing (the file has: {found[:200]})", column=element)
        for element in REQUIRED_ELEMENTS
        if element not in file.headers
    ]


# One record -------------------------------------------------------------------------------------


@dataclass
class RecordReader:
    """Reads the elements of one record, noting each problem with its row and column."""

    file: FederalFile
    row_number: int
    row: Row
    problems: list[Problem]
    counties: KnownCounties = field(default_factory=lambda: _federal_counties(None))

    def text(self, element: str) -> str:
        return self.row.get(element, "")

    def report(self, rule: str, element: str, message: str) -> None:
        column = self.file.headers.get(element, element)
        self.problems.append(_problem(rule, self.file, message, self.row_number, column))

    def required(self, element: str) -> str:
        value = self.text(element)
        if not value:
            self.report("missing_value", element, "missing required value")
        return value

    def code(self, element: str, codes: Mapping[str, str], blank: str = "") -> str:
        """The contract code for the element's federal code; ``blank`` when it is empty."""
        value = self.text(element)
        if not value:
            return blank
        if value not in codes:
            expected = ", ".join(codes)
            self.report("unknown_code", element,
                        f"unknown code '{value[:60]}' (expected one of: {expected})")
            return blank
        return codes[value]

    def date(self, element: str, *, required: bool = False) -> date | None:
        value = self.required(element) if required else self.text(element)
        if not value:
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self.report("malformed_date", element, f"malformed date '{value[:60]}' (expected a "
                        "real date written YYYY-MM-DD or CCYYMMDD)")
        return parsed

    def count(self, element: str) -> int | None:
        """A whole number of at least 1 (TotalRem and NumPlep count the latest episode too)."""
        value = self.text(element)
        if not value:
            return None
        if not _WHOLE_NUMBER.fullmatch(value):
            self.report("malformed_integer", element, f"not a whole number: '{value[:60]}'")
            return None
        if int(value) < 1:
            self.report("out_of_range", element, f"value '{value}' outside 1..")
            return None
        return int(value)


def _parse_date(text: str) -> date | None:
    if _ISO_DATE.fullmatch(text):
        iso = text
    elif _COMPACT_DATE.fullmatch(text):
        iso = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    else:
        return None
    try:
        return date.fromisoformat(iso)
    except ValueError:
        return None


def _county(record: RecordReader) -> str:
    value = record.required(COUNTY)
    if value and not _FIPS.fullmatch(value):
        record.report("unknown_code", COUNTY, f"unknown code '{value[:60]}' (expected a FIPS "
                      "county code of up to 5 digits, e.g. 06019)")
        return value
    code = _county_code(value)
    if is_fips_style(code) and code not in record.counties.codes:
        record.report("unknown_county", COUNTY, f"unknown county code '{value}' (expected "
                      f"{record.counties.description})")
    return code


def _race_flags(record: RecordReader) -> Row:
    undetermined = record.code(RACE_UNDETERMINED, FLAG_CODES) == "yes"
    flags: Row = {}
    for element, flag in RACE_ELEMENTS.items():
        value = record.code(element, FLAG_CODES, blank="unknown")
        # "Does not apply" beside "race could not be determined" is no answer, not a "no".
        flags[flag] = "unknown" if undetermined and value == "no" else value
    return flags


def _child(record: RecordReader, child_id: str, birth: date | None) -> Row:
    return {
        "child_id": child_id,
        "birth_date": birth.isoformat() if birth else "",
        "sex": record.code(SEX, SEX_CODES, blank="unknown"),
        **_race_flags(record),
        "hispanic": record.code(HISPANIC, HISPANIC_CODES, blank="unknown"),
    }


@dataclass(frozen=True)
class Discharge:
    day: date | None
    reason: str


def _discharge(record: RecordReader, removal: date | None) -> Discharge:
    day = record.date(DISCHARGE_DATE)
    code = record.text(DISCHARGE_REASON)
    reason = record.code(DISCHARGE_REASON, DISCHARGE_CODES)
    if day and code in ("", NOT_DISCHARGED):
        record.report("missing_discharge_reason", DISCHARGE_REASON,
                      f"missing required value: DISREASN must be 1-8 when DoDFCDt is set "
                      f"(found '{code}')")
    if not record.text(DISCHARGE_DATE) and reason:
        record.report("missing_value", DISCHARGE_DATE,
                      f"missing required value: DoDFCDt is required when DISREASN is {code}")
    if day and removal and day < removal:
        record.report("discharge_before_removal", DISCHARGE_DATE,
                      f"DoDFCDt {day} is before LatRemDt {removal}")
    return Discharge(day, reason)


def _removal(record: RecordReader, birth: date | None) -> date | None:
    removal = record.date(LATEST_REMOVAL_DATE, required=True)
    first = record.date(FIRST_REMOVAL_DATE)
    if removal and birth and birth > removal:
        record.report("birth_after_removal", LATEST_REMOVAL_DATE,
                      f"LatRemDt {removal} is before the child's DOB {birth}")
    if removal and first and first > removal:
        record.report("out_of_range", FIRST_REMOVAL_DATE,
                      f"Rem1Dt {first} is after LatRemDt {removal}: the first removal cannot "
                      "follow the latest")
    return removal


def _placement(record: RecordReader, episode_id: str, removal: date | None,
               discharge: Discharge) -> Row | None:
    start = record.date(SETTING_DATE)
    setting = record.code(SETTING, SETTING_CODES)
    if setting and not record.text(SETTING_DATE):
        record.report("missing_value", SETTING_DATE,
                      "missing required value: CurSetDt is required when CurPlSet is set")
    if start is None:
        return None
    if removal and start < removal:
        record.report("placement_outside_episode", SETTING_DATE,
                      f"CurSetDt {start} is before LatRemDt {removal}")
    if discharge.day and start > discharge.day:
        record.report("placement_outside_episode", SETTING_DATE,
                      f"CurSetDt {start} is after DoDFCDt {discharge.day}")
    # The current setting lasts until discharge, or is still going on.
    end = discharge.day.isoformat() if discharge.day else ""
    return {"episode_id": episode_id, "start_date": start.isoformat(), "end_date": end,
            "setting": setting}


@dataclass(frozen=True)
class ConvertedRecord:
    child: Row
    episode: Row
    placement: Row | None
    earlier_episodes: int
    earlier_placements: int


def convert_record(record: RecordReader) -> ConvertedRecord:
    """One federal record as a child, its latest episode and its current placement."""
    child_id = record.required(RECORD_NUMBER)
    birth = record.date(BIRTH_DATE)  # empty: flagged by the import (§1a)
    removal = _removal(record, birth)
    discharge = _discharge(record, removal)
    # The removal date in the id keeps it stable and distinct when a later file brings the
    # child's next episode.
    episode_id = f"{child_id}:{removal.isoformat() if removal else ''}"
    episode = {
        "episode_id": episode_id, "child_id": child_id, "county": _county(record), "office": "",
        "removal_date": removal.isoformat() if removal else "",
        "discharge_date": discharge.day.isoformat() if discharge.day else "",
        "discharge_reason": discharge.reason,
    }
    total_removals = record.count(TOTAL_REMOVALS)
    placement_count = record.count(PLACEMENT_COUNT)
    return ConvertedRecord(
        _child(record, child_id, birth), episode,
        _placement(record, episode_id, removal, discharge),
        earlier_episodes=(total_removals or 1) - 1,
        earlier_placements=(placement_count or 1) - 1,
    )


# The whole file ---------------------------------------------------------------------------------


def _duplicates(file: FederalFile) -> Iterator[Problem]:
    first_row: dict[str, int] = {}
    for number, row in enumerate(file.rows, start=1):
        record = row.get(RECORD_NUMBER, "")
        if not record:
            continue
        if record in first_row:
            yield _problem("duplicate_key", file,
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


def _federal_counties(counties: KnownCounties | None) -> KnownCounties:
    return (counties or state_counties()) | MASKED


def _county_code(value: str) -> str:
    """The code a FIPSCode value is stored as: files that passed through a numeric column lose
    California's leading zero (6019)."""
    return value.zfill(5) if len(value) == 4 and value.isdigit() else value


def _empty_file(file: FederalFile) -> list[Problem]:
    if file.rows:
        return []
    return [_problem("empty_table", file, "the federal file has no records (only a header): "
                     "importing it would replace every stored child with none")]


def convert_rows(
    file: FederalFile, counties: KnownCounties | None = None
) -> tuple[Conversion, list[Problem]]:
    """Convert every record of a read federal file; the problems name its rows and columns.
    FIPS-style county codes must be in ``counties`` (default: the configured state's) or the
    archive's mask."""
    problems = _missing_columns(file)
    if problems:
        return Conversion(), problems
    problems += _empty_file(file)
    problems += _duplicates(file)
    codes = (row.get(COUNTY, "") for row in file.rows)
    known = _federal_counties(counties).resolve(
        _county_code(code) for code in codes if is_fips_style(code))
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
        return [_problem("missing_file", population.name, "population file not found")]
    if population.suffix.lower() not in SOURCE_FORMATS:
        return [_problem("unreadable_file", population.name,
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
                counties=_federal_counties(counties), stand_ins=frozenset(stand_ins),
                strict=strict)
        finally:
            remove(scratch)
    return conversion, result
