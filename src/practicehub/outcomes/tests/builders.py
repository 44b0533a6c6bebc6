"""Small hand-made data directories for the tests: one helper per contract table row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TypedDict, Unpack

from practicehub.outcomes import contract, engine, store
from practicehub.outcomes.periods import Period, parse_period
from practicehub.outcomes.results import ResultRow

Row = dict[str, str]


class Tables(TypedDict, total=False):
    """Rows per table, for :func:`write_data` (tables left out are written empty)."""

    children: list[Row]
    episodes: list[Row]
    placements: list[Row]
    reports: list[Row]
    populations: list[Row]
    assignments: list[Row]


def child(child_id: str, birth_date: str = "2015-01-01", *, race: str = "white",
          **overrides: str) -> Row:
    """A child whose flags give ``race`` (a race flag name without ``race_``, or ``hispanic``)."""
    row = {"child_id": child_id, "birth_date": birth_date, "sex": "female", "hispanic": "no"}
    row |= {flag: "no" for flag in contract.RACE_FLAGS}
    if race == "hispanic":
        row["hispanic"] = "yes"
    else:
        row[f"race_{race}"] = "yes"
    return row | overrides


def episode(episode_id: str, child_id: str, removal: str, discharge: str = "",
            reason: str = "", *, county: str = "06019", office: str = "north") -> Row:
    if discharge and not reason:
        reason = "reunification"
    return {"episode_id": episode_id, "child_id": child_id, "county": county, "office": office,
            "removal_date": removal, "discharge_date": discharge, "discharge_reason": reason}


def placement(episode_id: str, start: str, end: str = "",
              setting: str = "nonrelative_foster") -> Row:
    return {"episode_id": episode_id, "start_date": start, "end_date": end, "setting": setting}


def report(report_id: str, child_id: str, report_date: str, *, incident: str = "",
           disposition: str = "substantiated", fatality: str = "no",
           county: str = "06019") -> Row:
    return {"report_id": report_id, "child_id": child_id, "county": county,
            "report_date": report_date, "incident_date": incident, "disposition": disposition,
            "fatality": fatality}


def population(county: str, year: int, race: str, age: int, count: int) -> Row:
    return {"county": county, "year": str(year), "race_ethnicity": race, "age": str(age),
            "count": str(count)}


def write_table(directory: Path, name: str, rows: Iterable[Mapping[str, str]],
                columns: Sequence[str] | None = None) -> Path:
    path = directory / f"{name}.csv"
    names = list(columns or contract.TABLES_BY_NAME[name].column_names)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_data(directory: Path, **tables: Unpack[Tables]) -> Path:
    """A data directory holding one CSV file per table."""
    directory.mkdir(parents=True, exist_ok=True)
    write_table(directory, "children", tables.get("children", []))
    write_table(directory, "episodes", tables.get("episodes", []))
    write_table(directory, "placements", tables.get("placements", []))
    write_table(directory, "maltreatment_reports", tables.get("reports", []))
    write_table(directory, "population", tables.get("populations", []))
    if "assignments" in tables:
        write_table(directory, "assignments", tables["assignments"])
    return directory


def measure(
    directory: Path,
    measure_id: str,
    period: str | Period = "2023-01-01:2023-12-31",
    *,
    by: Sequence[str] = (),
    reference_date: date | None = None,
    **tables: Unpack[Tables],
) -> list[ResultRow]:
    """Write ``tables`` (keyword arguments of :func:`write_data`) and compute one measure,
    unsuppressed."""
    write_data(directory, **tables)
    data = store.load_directory(directory)
    try:
        chosen = parse_period(period) if isinstance(period, str) else period
        result = engine.compute(data, chosen, by=by, measures=[measure_id],
                                reference_date=reference_date, suppress=False)
    finally:
        data.close()
    return result.rows


def by_group(
    directory: Path, measure_id: str, dimension: str, period: str = "2023-01-01:2023-12-31",
    *, reference_date: date | None = None, **tables: Unpack[Tables],
) -> dict[str | None, tuple[int | None, int | None]]:
    """Numerator and denominator per value of ``dimension``."""
    rows = measure(directory, measure_id, period, by=(dimension,),
                   reference_date=reference_date, **tables)
    return {row.group(dimension): (row.numerator, row.denominator) for row in rows}


def by_office(
    directory: Path, measure_id: str, period: str = "2023-01-01:2023-12-31",
    *, reference_date: date | None = None, **tables: Unpack[Tables],
) -> dict[str | None, tuple[int | None, int | None]]:
    """Numerator and denominator per office: tests give each case its own office."""
    return by_group(directory, measure_id, "office", period, reference_date=reference_date,
                    **tables)


def total(
    directory: Path,
    measure_id: str,
    period: str = "2023-01-01:2023-12-31",
    **tables: Unpack[Tables],
) -> tuple[int | None, int | None]:
    """Numerator and denominator of a measure over the whole data set."""
    (row,) = measure(directory, measure_id, period, **tables)
    return row.numerator, row.denominator
