"""Reading a federal foster care file (AFCARS, 1993 layout): its element names and codes, and its
rows as text by element, from CSV or Parquet. :mod:`federal_records` reads each record's
elements; :mod:`federal_file` converts the whole file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from practicehub.outcomes.data.validation import Problem

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

Row = dict[str, str]


@dataclass(frozen=True)
class FederalFile:
    """The file's rows as trimmed text by element name, and the header name of each element."""

    name: str
    is_csv: bool
    headers: dict[str, str]
    rows: list[Row]
    # Rows whose fields do not line up with the header: reported once, not checked further.
    ragged: frozenset[int] = frozenset()


def located_problem(rule: str, file: FederalFile | str, message: str,
                    row: int | None = None, column: str | None = None) -> Problem:
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
        return empty, [located_problem("missing_file", path.name, "federal file not found")]
    if suffix not in SOURCE_FORMATS:
        return empty, [located_problem("unreadable_file", path.name,
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
        return empty, [located_problem("unreadable_file", path.name, f"cannot be read: {error}")]
    if not header:
        return empty, [located_problem("unreadable_file", path.name,
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


def missing_columns(file: FederalFile) -> list[Problem]:
    found = ", ".join(file.headers.values())
    return [
        located_problem("missing_column", file,
                 f"required element missing (the file has: {found[:200]})", column=element)
        for element in REQUIRED_ELEMENTS
        if element not in file.headers
    ]
