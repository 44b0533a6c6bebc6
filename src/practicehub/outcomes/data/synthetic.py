"""Synthetic episode-level data in the contract's format, shaped like California's published
figures.

Deterministic for a seed and a number of episodes: chunk ``k`` draws from
``numpy.random.default_rng([seed, k])``, so output does not depend on timing or memory.
Children are generated in chunks and each chunk is written before the next is drawn (Parquet row
groups or CSV batches), so memory stays bounded.

The shape, roughly: about 2 entries per 1,000 children a year, Black and American Indian children
entering at several times the white rate, smaller counties at higher rates; about a third of
entries reaching permanency within 12 months; long stays ending in adoption or emancipation;
about one in ten reunified children re-entering; placement moves at about 4 per 1,000 days; trial
home visits before some reunifications; maltreatment reports around removal, a few in care, some
recurrences, and reported children who never enter care.

The children are drawn in :mod:`synthetic_population`, their time in care in
:mod:`synthetic_episodes`; this module writes them as the contract's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from practicehub.outcomes.data.synthetic_episodes import (
    REASONS,
    SETTINGS,
    Assignments,
    Episodes,
    Placements,
    Reports,
    draw_assignments,
    draw_episodes,
    draw_placements,
    draw_reports,
)
from practicehub.outcomes.data.synthetic_population import (
    EXTRACT_DATE,
    POPULATION_SHARE,
    RACES,
    WINDOW_START,
    Array,
    Children,
    Geography,
    Sites,
    day_number,
    draw_children,
    geography,
)
from practicehub.outcomes.engine import contract

CHILDREN_PER_CHUNK = 100_000

# Children reported as victims who never enter care, per child removed.
REPORTED_ONLY_SHARE = 0.6
ENTRY_RATE = 0.0021  # entering children per child in the population per year

# ----------------------------------------------------------------------------- Arrow tables

def _dates(days: Array) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.date32(), mask=days < 0)


def _codes(index: Array, codes: tuple[str, ...]) -> pa.Array:
    indices = pa.array(index.astype(np.int32), mask=index < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(codes)).dictionary_decode()


def _ids(prefix: str, numbers: Array, width: int) -> pa.Array:
    text = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, text, "")


def _race_flags(race: Array) -> dict[str, pa.Array]:
    """The children's race and Hispanic flags giving their race/ethnicity category."""
    names = [RACES[i] for i in range(len(RACES))]
    flags: dict[str, pa.Array] = {}
    unknown = race == names.index("unknown")
    two = race == names.index("two_or_more")
    for flag, category in contract.RACE_FLAG_CATEGORY.items():
        yes = race == names.index(category)
        if category in ("white", "black"):
            yes |= two  # two or more races: white and Black
        if category == "white":
            yes |= race == names.index("hispanic")
        flags[flag] = _codes(np.where(unknown, 2, np.where(yes, 0, 1)), contract.YES_NO_UNKNOWN)
    hispanic = np.where(unknown, 2, np.where(race == names.index("hispanic"), 0, 1))
    flags["hispanic"] = _codes(hispanic, contract.YES_NO_UNKNOWN)
    return flags


def _office_codes(geo: Geography, county: Array, office: Array) -> pa.Array:
    flat = [code for offices in geo.offices for code in offices]
    first = np.cumsum([0] + [len(offices) for offices in geo.offices])[:-1]
    return _codes(first[county] + office, tuple(flat))


@dataclass(frozen=True)
class Offsets:
    """Where this chunk's ids start, so ids are unique across chunks."""

    child: int
    episode: int
    report: int


def _children_table(kids: Children, offsets: Offsets) -> pa.Table:
    return pa.table({
        "child_id": _ids("C", np.arange(kids.race.size) + offsets.child, 9),
        "birth_date": _dates(kids.birth),
        "sex": _codes(kids.sex, contract.SEX_CODES),
        **_race_flags(kids.race),
    })


def _episodes_table(eps: Episodes, geo: Geography, offsets: Offsets) -> pa.Table:
    return pa.table({
        "episode_id": _ids("E", np.arange(eps.child.size) + offsets.episode, 10),
        "child_id": _ids("C", eps.child + offsets.child, 9),
        "county": _codes(eps.county, geo.codes),
        "office": _office_codes(geo, eps.county, eps.office),
        "removal_date": _dates(eps.removal),
        "discharge_date": _dates(eps.discharge),
        "discharge_reason": _codes(eps.reason, REASONS),
    })


def _placements_table(places: Placements, offsets: Offsets) -> pa.Table:
    return pa.table({
        "episode_id": _ids("E", places.episode + offsets.episode, 10),
        "start_date": _dates(places.start),
        "end_date": _dates(places.end),
        "setting": _codes(places.setting, SETTINGS),
    })


def _reports_table(reports: Reports, kids: Children, geo: Geography, offsets: Offsets) -> pa.Table:
    order = np.lexsort((reports.day, reports.child))
    return pa.table({
        "report_id": _ids("R", np.arange(order.size) + offsets.report, 10),
        "child_id": _ids("C", reports.child[order] + offsets.child, 9),
        "county": _codes(kids.county[reports.child[order]], geo.codes),
        "report_date": _dates(reports.day[order]),
        "incident_date": _dates(reports.incident[order]),
        "disposition": _codes(reports.disposition[order], contract.DISPOSITIONS),
        "fatality": _codes(reports.fatality[order], contract.YES_NO),
    })


def _assignments_table(work: Assignments, eps: Episodes, geo: Geography,
                       offsets: Offsets, listed_pick: Array | None = None) -> pa.Table:
    office = _office_codes(geo, eps.county[work.episode], eps.office[work.episode])
    worker = pc.binary_join_element_wise(office, _ids("W", work.worker, 3), "-")
    if listed_pick is not None:
        worker = _listed_workers(geo, office, worker, listed_pick)
    return pa.table({
        "episode_id": _ids("E", work.episode + offsets.episode, 10),
        "worker_id": worker,
        "office": office,
        "start_date": _dates(work.start),
        "end_date": _dates(work.end),
    })


def _listed_workers(geo: Geography, office: pa.Array, generated: pa.Array,
                    pick: Array) -> pa.Array:
    """Worker ids from ``geo.workers`` for the offices that list them, chosen by ``pick`` (0–1);
    the generated ids elsewhere."""
    offices = np.asarray(office.to_numpy(zero_copy_only=False), dtype=object)
    workers = np.asarray(generated.to_numpy(zero_copy_only=False), dtype=object)
    for code, ids in geo.workers.items():
        rows = offices == code
        if ids and rows.any():
            chosen = (pick[rows] * len(ids)).astype(np.int64)
            workers[rows] = np.asarray(ids, dtype=object)[chosen]
    return pa.array(workers, type=pa.string())


def population_table(geo: Geography, n_episodes: int) -> pa.Table:
    """Children 0–17 by county, year, race/ethnicity and age, sized so entries run near 2/1,000."""
    years = np.arange(WINDOW_START.year, EXTRACT_DATE.year + 1)
    window_years = (day_number(EXTRACT_DATE) - day_number(WINDOW_START)) / 365.25
    total = n_episodes / window_years / ENTRY_RATE
    races = [i for i, share in enumerate(POPULATION_SHARE) if share > 0]
    county, year, race, age = (a.ravel() for a in np.meshgrid(
        np.arange(len(geo.codes)), years, races, np.arange(18), indexing="ij"))
    trend = 1 - 0.008 * (year - 2020)
    count = np.rint(total * geo.weights[county] * np.array(POPULATION_SHARE)[race] / 18 * trend)
    return pa.table({
        "county": _codes(county, geo.codes),
        "year": pa.array(year.astype(np.int64)),
        "race_ethnicity": _codes(race, RACES),
        "age": pa.array(age.astype(np.int64)),
        "count": pa.array(count.astype(np.int64)),
    })


# ----------------------------------------------------------------------------- writing


class _TableWriter:
    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.csv = fmt == "csv"
        self.schema = schema
        self.writer: Any
        if self.csv:
            options = pacsv.WriteOptions(quoting_style="needed")
            self.writer = pacsv.CSVWriter(str(path), schema, write_options=options)
        else:
            self.writer = pq.ParquetWriter(str(path), schema, compression="zstd")

    def write(self, table: pa.Table) -> None:
        self.writer.write_table(table.cast(self.schema))

    def close(self) -> None:
        self.writer.close()


def _schema(spec: contract.TableSpec) -> pa.Schema:
    types = {"text": pa.string(), "code": pa.string(), "date": pa.date32(), "integer": pa.int64()}
    return pa.schema([(column.name, types[column.kind]) for column in spec.columns])


def _trim(eps: Episodes, kids: Children, keep: int) -> tuple[Episodes, Children]:
    """The first ``keep`` episodes (child by child) and the children they and reports need."""
    if keep >= eps.child.size:
        return eps, kids
    fields = {name: getattr(eps, name)[:keep] for name in vars(eps)}
    trimmed = Episodes(**fields)
    kept_removed = int(trimmed.child[-1]) + 1 if keep else 0
    removed = kids.first_removal >= 0
    index = np.arange(kids.race.size)
    # Removed children come first in a chunk, then those only reported: keep both in proportion.
    reported_rank = index - int(removed.sum())
    kept = np.where(removed, index < kept_removed,
                    reported_rank < int(kept_removed * REPORTED_ONLY_SHARE))
    if not kept.all():
        mapping = np.cumsum(kept) - 1
        kids = Children(*(getattr(kids, name)[kept] for name in vars(kids)))
        trimmed = Episodes(mapping[trimmed.child], *(fields[name] for name in
                           ("county", "office", "removal", "discharge", "reason")))
    return trimmed, kids


def _chunk_tables(
    seed: int, index: int, geo: Geography, remaining: int, offsets: Offsets, size: int
) -> dict[str, pa.Table]:
    rng = np.random.default_rng([seed, index])
    kids = draw_children(rng, geo, size, int(size * REPORTED_ONLY_SHARE))
    eps, kids = _trim(draw_episodes(rng, kids), kids, remaining)
    places = draw_placements(rng, eps, kids)
    reports = draw_reports(rng, kids, eps)
    work = draw_assignments(rng, eps)
    # Drawn last and only for listed workers, so the default output for a seed stays the same.
    listed_pick = rng.random(work.episode.size) if geo.workers else None
    return {
        "children": _children_table(kids, offsets),
        "episodes": _episodes_table(eps, geo, offsets),
        "placements": _placements_table(places, offsets),
        "maltreatment_reports": _reports_table(reports, kids, geo, offsets),
        "assignments": _assignments_table(work, eps, geo, offsets, listed_pick),
    }


def generate(
    out_dir: Path,
    n_episodes: int,
    seed: int,
    *,
    fmt: str = "parquet",
    progress: Callable[[int], None] | None = None,
    sites: Sites | None = None,
) -> dict[str, int]:
    """Write the contract's tables for ``n_episodes`` episodes to ``out_dir``; return row counts.

    ``sites`` replaces the generated offices and workers and scales counties (the demo uses it);
    without it the output for a seed is the same as it always was.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    geo = geography(sites)
    writers = {spec.name: _TableWriter(out_dir / f"{spec.name}.{fmt}", _schema(spec), fmt)
               for spec in contract.TABLES}
    counts = dict.fromkeys(writers, 0)
    try:
        population = population_table(geo, n_episodes)
        writers["population"].write(population)
        counts["population"] = population.num_rows
        offsets, index = Offsets(0, 0, 0), 0
        # Every child has an episode, so a small request fits in one chunk of its own size.
        size = min(CHILDREN_PER_CHUNK, n_episodes)
        while counts["episodes"] < n_episodes:
            remaining = n_episodes - counts["episodes"]
            tables = _chunk_tables(seed, index, geo, remaining, offsets, size)
            for name, table in tables.items():
                writers[name].write(table)
                counts[name] += table.num_rows
            offsets = Offsets(counts["children"], counts["episodes"],
                              counts["maltreatment_reports"])
            index += 1
            if progress is not None:
                progress(tables["episodes"].num_rows)
    finally:
        for writer in writers.values():
            writer.close()
    return counts
