"""One record of a federal foster care file as a child, its latest episode and its current
placement, each problem noted with its row and column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from practicehub.outcomes.data.federal_reading import (
    BIRTH_DATE,
    COUNTY,
    DISCHARGE_CODES,
    DISCHARGE_DATE,
    DISCHARGE_REASON,
    FIRST_REMOVAL_DATE,
    FLAG_CODES,
    HISPANIC,
    HISPANIC_CODES,
    LATEST_REMOVAL_DATE,
    NOT_DISCHARGED,
    PLACEMENT_COUNT,
    RACE_ELEMENTS,
    RACE_UNDETERMINED,
    RECORD_NUMBER,
    SETTING,
    SETTING_CODES,
    SETTING_DATE,
    SEX,
    SEX_CODES,
    TOTAL_REMOVALS,
    FederalFile,
    Row,
    located_problem,
)
from practicehub.outcomes.data.validation import Problem
from practicehub.outcomes.engine.counties import KnownCounties, is_fips_style, state_counties

_COMPACT_DATE = re.compile(r"[0-9]{8}")  # CCYYMMDD, the 1993 submission layout
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FIPS = re.compile(r"[0-9]{1,5}")
# The national archive's code for a county withheld because it is small: kept as its own group.
MASKED_COUNTY = "8"
MASKED = KnownCounties(frozenset({MASKED_COUNTY}), "the archive's small-county mask 8")

_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")

@dataclass
class RecordReader:
    """Reads the elements of one record, noting each problem with its row and column."""

    file: FederalFile
    row_number: int
    row: Row
    problems: list[Problem]
    counties: KnownCounties = field(default_factory=lambda: federal_counties(None))

    def text(self, element: str) -> str:
        return self.row.get(element, "")

    def report(self, rule: str, element: str, message: str) -> None:
        column = self.file.headers.get(element, element)
        self.problems.append(located_problem(rule, self.file, message, self.row_number, column))

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
    code = county_code(value)
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


def federal_counties(counties: KnownCounties | None) -> KnownCounties:
    return (counties or state_counties()) | MASKED


def county_code(value: str) -> str:
    """The code a FIPSCode value is stored as: files that passed through a numeric column lose
    California's leading zero (6019)."""
    return value.zfill(5) if len(value) == 4 and value.isdigit() else value
