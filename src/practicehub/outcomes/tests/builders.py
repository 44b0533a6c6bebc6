"""Small hand-made data directories for the tests: one helper per contract table row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TypedDict, Unpack

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from practicehub.outcomes.data import store
from practicehub.outcomes.engine import computing, contract
from practicehub.outcomes.engine.periods import Period, parse_period
from practicehub.outcomes.engine.results import ResultRow

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
        result = computing.compute(data, chosen, by=by, measures=[measure_id],
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


Days = np.ndarray[tuple[int], np.dtype[np.datetime64]]
Deltas = np.ndarray[tuple[int], np.dtype[np.timedelta64]]
NOT_A_DAY = np.datetime64("NaT", "D")


def _dates(table: pa.Table, column: str) -> Days:
    """A date column as datetime64[D], empty as NaT."""
    days: Days = table[column].to_numpy().astype("datetime64[D]")
    return days


def _random_days(rng: np.random.Generator, low: int, high: int, size: int) -> Deltas:
    days: Deltas = rng.integers(low, high, size).astype("timedelta64[D]")
    return days


def _lookup(keys: pa.ChunkedArray, table: pa.Table, key: str, column: str) -> Days:
    """``column`` of ``table`` for each of ``keys`` (matched on ``key``)."""
    index = pc.index_in(keys, value_set=table[key])
    days: Days = table[column].take(index).to_numpy().astype("datetime64[D]")
    return days


def _rewrite(path: Path, table: pa.Table, **columns: Days) -> None:
    for name, values in columns.items():
        position = table.schema.get_field_index(name)
        table = table.set_column(position, name, pa.array(values, type=pa.date32()))
    pq.write_table(table, path)


def roughen_placements(data: Path, rng: np.random.Generator) -> None:
    """Gaps, overlaps, empty end dates in the middle and same-day placements, still valid
    (an end on or after its start and on or before the discharge)."""
    path = data / "placements.parquet"
    placements = pq.read_table(path)
    start, end = _dates(placements, "start_date"), _dates(placements, "end_date")
    discharge = _lookup(placements["episode_id"], pq.read_table(data / "episodes.parquet"),
                        "episode_id", "discharge_date")
    n, pick = len(start), rng.random(len(start))
    gap = np.maximum(end - _random_days(rng, 1, 5, n), start)
    later = end + _random_days(rng, 1, 15, n)
    overlap = np.where(np.isnat(discharge) | (later <= discharge), later, discharge)
    end = np.where(pick < 0.10, gap, np.where(pick < 0.18, overlap, end))
    end = np.where((pick >= 0.18) & (pick < 0.26), NOT_A_DAY, end)
    end = np.where(pick >= 0.97, start, end)
    _rewrite(path, placements, end_date=end)


def roughen_reports(data: Path, rng: np.random.Generator) -> None:
    """Later reports of the child's previous incident, reports dated before birth, and more
    fatalities."""
    path = data / "maltreatment_reports.parquet"
    reports = pq.read_table(path).sort_by([("child_id", "ascending"),
                                            ("report_date", "ascending")])
    report_date, incident = _dates(reports, "report_date"), _dates(reports, "incident_date")
    birth = _lookup(reports["child_id"], pq.read_table(data / "children.parquet"), "child_id",
                    "birth_date")
    child = reports["child_id"].to_numpy(zero_copy_only=False)
    n, pick = len(child), rng.random(len(child))
    previous = np.r_[NOT_A_DAY, incident[:-1]]
    same_child = np.r_[False, child[1:] == child[:-1]]
    incident = np.where((pick < 0.4) & same_child & ~np.isnat(previous), previous, incident)
    unborn = pick > 0.97
    report_date = np.where(unborn, birth - _random_days(rng, 1, 90, n), report_date)
    incident = np.where(unborn, NOT_A_DAY, incident)
    fatality = np.where(rng.random(n) < 0.02, "yes",
                        reports["fatality"].to_numpy(zero_copy_only=False))
    reports = reports.set_column(reports.schema.get_field_index("fatality"), "fatality",
                                 pa.array(fatality, type=pa.string()))
    _rewrite(path, reports, report_date=report_date, incident_date=incident)


def roughen(data: Path, seed: int) -> None:
    """Synthetic Parquet data (``synthetic.generate``) made rough at the edges of the v2 rules."""
    rng = np.random.default_rng(seed)
    roughen_placements(data, rng)
    roughen_reports(data, rng)
