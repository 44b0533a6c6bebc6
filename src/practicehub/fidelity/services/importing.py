"""Importing submitted observations from CSV or a REDCap export (columns in docs/fidelity.md).

The whole file is checked first; any problem refuses the import, lists every bad row and
column, and writes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.core.errors import Located
from practicehub.fidelity.models import Mark, Observation, ObservationTool, ObserverKind, Setting
from practicehub.fidelity.services import aggregates
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.observations import (
    Entry,
    NewObservation,
    observer_refusal,
    parse_entry,
    practitioner_unit,
    save_draft,
    start_observation,
    submit,
)

CSV_FIELDS = ("reference", "worker", "observer", "observer_kind", "observed_on", "setting",
              "paired_with", "notes")
REDCAP_FIELDS = ("record_id", "worker_username", "observer_username", "observer_type",
                 "obs_date", "obs_setting", "paired_record_id", "obs_notes")
REDCAP_OBSERVER = {"1": ObserverKind.COACH, "2": ObserverKind.PARTNER}
REDCAP_SETTING = {str(index): value for index, value in enumerate(Setting.values, start=1)}
REDCAP_MARK = {"98": Mark.NOT_OBSERVED, "99": Mark.NOT_APPLICABLE}


@dataclass(frozen=True)
class Problem:
    row: int  # the line in the file (the header is line 1)
    column: str
    message: str


class ImportRefused(FidelityError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) found; nothing was imported.",
                         [Located(p.message, line=p.row, column=p.column) for p in problems])


@dataclass
class Row:
    line: int
    reference: str
    worker: str
    observer: str
    observer_kind: str
    observed_on: str
    setting: str
    paired_with: str
    notes: str
    values: dict[str, str] = field(default_factory=dict)


def redcap_field(code: str) -> str:
    """The REDCap variable for a behavior: lower case letters, digits and underscores."""
    return "b_" + re.sub(r"[^a-z0-9]+", "_", code.lower()).strip("_")


def _read(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the records; a file the CSV reader cannot read, or a record with more
    cells than the header has columns, refuses the import naming its line."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        rows = []
        for cells in reader:
            if not cells:
                continue  # a blank line
            if len(cells) > len(header):
                raise ImportRefused([Problem(
                    reader.line_num, "", f"{len(cells)} cells but the header names "
                    f"{len(header)} columns")])
            rows.append(dict(zip(header, (cell.strip() for cell in cells), strict=False)))
    except csv.Error as error:
        raise ImportRefused([Problem(reader.line_num, "", f"not a readable CSV file: {error}")]
                            ) from None
    return header, rows


def _csv_rows(text: str, codes: list[str]) -> tuple[list[Row], list[Problem]]:
    header, raw = _read(text)
    problems = [Problem(1, name, "missing column") for name in (*CSV_FIELDS, *codes)
                if name not in header]
    problems += [Problem(1, name, "unknown column") for name in header
                 if name not in CSV_FIELDS and name not in codes]
    rows = [Row(line, data.get("reference", ""), data.get("worker", ""),
                data.get("observer", ""), data.get("observer_kind", ""),
                data.get("observed_on", ""), data.get("setting", ""),
                data.get("paired_with", ""), data.get("notes", ""),
                {code: data.get(code, "") for code in codes})
            for line, data in enumerate(raw, start=2)]
    return rows, problems


def _redcap_value(value: str) -> str:
    return REDCAP_MARK.get(value, value)


def _redcap_rows(text: str, codes: list[str]) -> tuple[list[Row], list[Problem]]:
    header, raw = _read(text)
    variables = {redcap_field(code): code for code in codes}
    problems = [Problem(1, name, "missing column") for name in (*REDCAP_FIELDS, *variables)
                if name not in header]
    problems += [Problem(1, name, "unknown column") for name in header
                 if name not in REDCAP_FIELDS and name not in variables
                 and not name.startswith("redcap_") and not name.endswith("_complete")]
    rows = [Row(line, data.get("record_id", ""), data.get("worker_username", ""),
                data.get("observer_username", ""),
                REDCAP_OBSERVER.get(data.get("observer_type", ""), data.get("observer_type", "")),
                data.get("obs_date", ""),
                REDCAP_SETTING.get(data.get("obs_setting", ""), data.get("obs_setting", "")),
                data.get("paired_record_id", ""), data.get("obs_notes", ""),
                {code: _redcap_value(data.get(variable, ""))
                 for variable, code in variables.items()})
            for line, data in enumerate(raw, start=2)]
    return rows, problems


@dataclass
class Checked:
    row: Row
    worker: User
    observer: User
    observed_on: date
    entries: dict[str, Entry]


def _worker_unit(row: Row, worker: User | None, recorded_by: User,
                 problems: list[Problem]) -> OrgNode | None:
    """The worker's unit when the importing user may record observations of them."""
    if worker is None:
        problems.append(Problem(row.line, "worker", f"no person with user name “{row.worker}”"))
        return None
    try:
        unit = practitioner_unit(worker)
    except FidelityError as error:
        problems.append(Problem(row.line, "worker", str(error)))
        return None
    if not has_capability(recorded_by, Capability.FIDELITY_OBSERVE, unit):
        problems.append(Problem(row.line, "worker", "outside the sites you observe"))
        return None
    return unit


def _check_people(row: Row, recorded_by: User, problems: list[Problem]) -> tuple[User, User] | None:
    """The worker and the observer, each someone the importing user may name in that role
    (``observer_refusal``, the rule the start form and the API apply too)."""
    people = {user.username: user
              for user in User.objects.filter(username__in=[row.worker, row.observer])}
    worker, observer = people.get(row.worker), people.get(row.observer)
    unit = _worker_unit(row, worker, recorded_by, problems)
    if observer is None:
        problems.append(Problem(row.line, "observer",
                                f"no person with user name “{row.observer}”"))
    elif unit is not None and row.observer_kind in ObserverKind.values:
        refusal = observer_refusal(observer, row.observer_kind, unit, recorded_by)
        if refusal:
            problems.append(Problem(row.line, "observer", refusal))
    return (worker, observer) if worker and observer else None


def _check_date(row: Row, problems: list[Problem]) -> date | None:
    try:
        observed_on = date.fromisoformat(row.observed_on)
    except ValueError:
        problems.append(Problem(row.line, "observed_on", "not a date like 2025-03-31"))
        return None
    if observed_on > timezone.localdate():
        problems.append(Problem(row.line, "observed_on", "in the future"))
    return observed_on


def _check_row(row: Row, tool: ObservationTool, recorded_by: User,
               problems: list[Problem]) -> Checked | None:
    before = len(problems)
    if not row.reference:
        problems.append(Problem(row.line, "reference", "empty"))
    if row.observer_kind not in ObserverKind.values:
        problems.append(Problem(row.line, "observer_kind", f"“{row.observer_kind}” is not one of "
                                f"{', '.join(ObserverKind.values)}"))
    if row.setting not in tool.settings:
        problems.append(Problem(row.line, "setting", f"“{row.setting}” is not a setting of "
                                "this tool"))
    people = _check_people(row, recorded_by, problems)
    observed_on = _check_date(row, problems)
    entries: dict[str, Entry] = {}
    for code, value in row.values.items():
        try:
            entries[code] = parse_entry(value, tool.scale_def.values)
        except FidelityError as error:
            problems.append(Problem(row.line, code, str(error)))
    if entries and all(mark != Mark.RATED for mark, _ in entries.values()):
        problems.append(Problem(row.line, "ratings", "no behavior is rated"))
    if len(problems) > before or people is None or observed_on is None:
        return None
    return Checked(row, people[0], people[1], observed_on, entries)


def _check_pairs(checked: list[Checked], problems: list[Problem]) -> None:
    by_reference: dict[str, Checked] = {}
    for item in checked:
        if item.row.reference in by_reference:
            problems.append(Problem(item.row.line, "reference", "used twice in the file"))
        by_reference[item.row.reference] = item
    for item in checked:
        if not item.row.paired_with:
            continue
        first = by_reference.get(item.row.paired_with)
        if first is None or first.row.paired_with:
            problems.append(Problem(item.row.line, "paired_with",
                                    "must name a first observer's record in this file"))
        elif (first.worker, first.observed_on) != (item.worker, item.observed_on):
            problems.append(Problem(item.row.line, "paired_with",
                                    "the paired record is of another worker or day"))
        elif first.observer == item.observer:
            problems.append(Problem(item.row.line, "observer",
                                    "the second observer must be a different person"))


def _store(item: Checked, tool: ObservationTool, recorded_by: User,
           first: Observation | None) -> Observation:
    row = item.row
    observation = start_observation(NewObservation(
        tool=tool, worker=item.worker, observer=item.observer, observed_on=item.observed_on,
        setting=row.setting, observer_kind=row.observer_kind, paired_with=first,
        notes=row.notes, reference=row.reference), recorded_by)
    ids = dict(tool.behaviors.values_list("code", "id"))
    save_draft(observation, recorded_by, {ids[code]: entry for code, entry in item.entries.items()})
    return submit(observation, recorded_by)


def template_header(tool: ObservationTool, redcap: bool = False) -> list[str]:
    """The columns an import file for ``tool`` must have, in the order the guide gives them."""
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    if redcap:
        return [*REDCAP_FIELDS, *(redcap_field(code) for code in codes)]
    return [*CSV_FIELDS, *codes]


# Told (stage, rows done, rows in the file) as an import goes, for a background job's page.
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def import_observations(text: str, tool: ObservationTool, recorded_by: User,
                        redcap: bool = False,
                        progress: Progress = _no_progress) -> list[Observation]:
    codes = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    rows, problems = (_redcap_rows if redcap else _csv_rows)(text, codes)
    if not rows and not problems:
        problems.append(Problem(2, "", "the file has no records"))
    checked: list[Checked] = []
    for done, row in enumerate(rows, start=1):
        if (found := _check_row(row, tool, recorded_by, problems)) is not None:
            checked.append(found)
        progress("checking", done, len(rows))
    _check_pairs(checked, problems)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: (p.row, p.column)))
    stored: dict[str, Observation] = {}
    # One refresh of the kept aggregates for every worker of the file, not one per record.
    with aggregates.keeping(tool, ()):
        for item in sorted(checked, key=lambda item: bool(item.row.paired_with)):
            first = stored.get(item.row.paired_with) if item.row.paired_with else None
            stored[item.row.reference] = _store(item, tool, recorded_by, first)
            progress("importing", len(stored), len(checked))
    return list(stored.values())
