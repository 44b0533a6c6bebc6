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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from practicehub.outcomes.engine import contract
from practicehub.outcomes.engine.counties import COUNTIES

Array = np.ndarray[Any, Any]
WINDOW_START = date(2014, 10, 1)
EXTRACT_DATE = date(2025, 9, 30)  # the data are "as of" this day: later discharges are unknown
CHILDREN_PER_CHUNK = 100_000
MAX_EPISODES = 4
# Children reported as victims who never enter care, per child removed.
REPORTED_ONLY_SHARE = 0.6
ENTRY_RATE = 0.0021  # entering children per child in the population per year

RACES = ("hispanic", "white", "black", "asian", "aian", "nhopi", "two_or_more", "unknown")
# Share of the child population, and entry rate relative to white children.
POPULATION_SHARE = (0.52, 0.23, 0.05, 0.11, 0.004, 0.003, 0.083, 0.0)
RELATIVE_ENTRY_RATE = (0.95, 1.0, 3.9, 0.2, 3.6, 1.3, 1.2, 0.0)
UNKNOWN_RACE_SHARE = 0.01
SLOWER_PERMANENCY = {RACES.index("black"), RACES.index("aian")}

REASONS = contract.DISCHARGE_REASONS
# Probability of each exit for a stay of 8 days or more, and (median days, log-sd) of its length.
REASON_P = {"reunification": 0.52, "relative": 0.06, "adoption": 0.17, "guardianship": 0.10,
            "transfer": 0.03, "runaway": 0.02, "death": 0.002, "emancipation": 0.098}
REASON_LOS = {"reunification": (290, 0.75), "relative": (330, 0.7), "adoption": (1100, 0.5),
              "guardianship": (750, 0.65), "transfer": (200, 0.9), "runaway": (260, 0.8),
              "death": (300, 1.0), "emancipation": (1400, 0.6)}
SHORT_STAY_SHARE = 0.08
REENTRY_REASONS = (REASONS.index("reunification"), REASONS.index("relative"),
                   REASONS.index("guardianship"))

SETTINGS = contract.PLACEMENT_SETTINGS
FIRST_SETTING_P = (0.0, 0.40, 0.44, 0.09, 0.05, 0.02, 0.0, 0.0)
LATER_SETTING_P = (0.05, 0.25, 0.35, 0.15, 0.08, 0.03, 0.05, 0.04)
MOVES_PER_DAY = 0.0038
DISPOSITION_AT_REMOVAL_P = (0.72, 0.12, 0.11, 0.05)
DISPOSITION_REPORT_ONLY_P = (0.50, 0.10, 0.34, 0.06)
IN_CARE_REPORTS_PER_DAY = 0.000035


def _days(day: date) -> int:
    return (day - date(1970, 1, 1)).days


@dataclass
class Children:
    race: Array
    sex: Array
    county: Array
    office: Array
    birth: Array
    eighteenth: Array
    first_removal: Array  # -1 for children reported but never removed


@dataclass
class Episodes:
    child: Array
    county: Array
    office: Array
    removal: Array
    discharge: Array  # -1 while in care on the extract date
    reason: Array  # index into REASONS, -1 while in care


@dataclass
class Geography:
    codes: tuple[str, ...]
    weights: Array  # share of the child population
    entry_weights: Array  # share of entries
    offices: list[list[str]]
    workers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # office code → worker ids


@dataclass(frozen=True)
class Sites:
    """A platform's own sites instead of the generated ones, e.g. the demo's organisation tree.

    ``offices``: county FIPS code → the office codes its episodes use (instead of ``06019-01``).
    ``workers``: office code → the worker ids that carry its cases (instead of ``06019-01-W001``).
    ``scale``: county FIPS code → factor on the county's children and entries (0 leaves it out),
    so a few counties can be shown at full size and the rest of the state small.
    """

    offices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    workers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    scale: Mapping[str, float] = field(default_factory=dict)


def geography(sites: Sites | None = None) -> Geography:
    codes = tuple(code for code, _, _ in COUNTIES)
    sizes = np.array([size for _, _, size in COUNTIES], dtype=float)
    # Smaller counties have higher entry rates in California; a plain step keeps this explainable.
    factor = np.where(sizes < 100, 1.6, np.where(sizes < 500, 1.25, 1.0))
    offices = [
        [f"{code}-{n:02d}" for n in range(1, int(np.clip(round(np.log10(size) * 1.6), 1, 6)) + 1)]
        for code, _, size in COUNTIES
    ]
    if sites is not None:
        offices = [list(sites.offices.get(code, generated))
                   for code, generated in zip(codes, offices, strict=True)]
        sizes = sizes * np.array([sites.scale.get(code, 1.0) for code in codes])
    entry = sizes * factor
    workers = {office: tuple(ids) for office, ids in (sites.workers if sites else {}).items()}
    return Geography(codes, sizes / sizes.sum(), entry / entry.sum(), offices, workers)


def add_years(days: Array, years: int) -> Array:
    """Same day ``years`` later as day numbers; 29 February becomes 28 February."""
    day = days.astype("datetime64[D]")
    month_start = day.astype("datetime64[M]")
    day_of_month = (day - month_start.astype("datetime64[D]")).astype(np.int64)
    target = month_start + np.timedelta64(12 * years, "M")
    target_day = target.astype("datetime64[D]")
    following = (target + np.timedelta64(1, "M")).astype("datetime64[D]")
    length = (following - target_day).astype(np.int64)
    clamped = target_day + np.minimum(day_of_month, length - 1)
    return np.asarray(clamped.astype(np.int64))


def _entry_race_p() -> Array:
    raw: Array = np.array(POPULATION_SHARE) * np.array(RELATIVE_ENTRY_RATE)
    shares: Array = raw / raw.sum() * (1 - UNKNOWN_RACE_SHARE)
    shares[RACES.index("unknown")] = UNKNOWN_RACE_SHARE
    return shares


def _age_at_removal(rng: np.random.Generator, n: int) -> Array:
    """Days of age at first removal: many infants (often at birth), fewer teenagers."""
    band = rng.choice(5, size=n, p=[0.21, 0.30, 0.20, 0.24, 0.05])
    low = np.array([0, 365, 6 * 365 + 2, 11 * 365 + 3, 17 * 365 + 5])[band]
    high = np.array([364, 6 * 365, 11 * 365, 17 * 365, 18 * 365 - 10])[band]
    age = low + (rng.random(n) * (high - low)).astype(np.int64)
    at_birth = (band == 0) & (rng.random(n) < 0.4)
    return np.where(at_birth, rng.integers(0, 7, n), age)


def _children(rng: np.random.Generator, geo: Geography, removed: int, reported: int) -> Children:
    n = removed + reported
    race = np.concatenate([
        rng.choice(len(RACES), size=removed, p=_entry_race_p()),
        rng.choice(len(RACES), size=reported, p=_entry_race_p()),
    ])
    county = rng.choice(len(geo.codes), size=n, p=geo.entry_weights)
    office = (rng.random(n) * np.array([len(geo.offices[c]) for c in county])).astype(np.int64)
    start, end = _days(WINDOW_START), _days(EXTRACT_DATE)
    first = rng.integers(start, end + 1, n)
    birth = first - _age_at_removal(rng, n)
    first[removed:] = -1
    sex = rng.choice(3, size=n, p=[0.49, 0.50, 0.01])
    return Children(race, sex, county, office, birth, add_years(birth, 18), first)


def _stay_lengths(rng: np.random.Generator, reason: Array, race: Array) -> Array:
    medians = np.array([REASON_LOS[name][0] for name in REASONS], dtype=float)[reason]
    spreads = np.array([REASON_LOS[name][1] for name in REASONS])[reason]
    slower = np.isin(race, list(SLOWER_PERMANENCY))
    medians = np.where(slower, medians * 1.15, medians)
    return np.maximum(8, np.exp(np.log(medians) + spreads * rng.standard_normal(reason.size)))


def _one_round(
    rng: np.random.Generator, kids: Children, child: Array, removal: Array
) -> tuple[Array, Array]:
    """Discharge day and reason for episodes starting on ``removal``."""
    n = child.size
    reason = rng.choice(len(REASONS), size=n, p=[REASON_P[name] for name in REASONS])
    # Young children are not planned to age out of care: their long stays end in adoption.
    young = (removal - kids.birth[child]) < 12 * 365
    emancipation = reason == REASONS.index("emancipation")
    reason = np.where(young & emancipation, REASONS.index("adoption"), reason)
    los = _stay_lengths(rng, reason, kids.race[child]).astype(np.int64)
    short = rng.random(n) < SHORT_STAY_SHARE
    # At least a day: a discharge on the removal day is a data-quality problem (§1a).
    los = np.where(short, rng.integers(1, 8, n), np.maximum(los, 1))
    reason = np.where(short, np.where(rng.random(n) < 0.85, 0, 1), reason)
    discharge = removal + los
    eighteenth = kids.eighteenth[child]
    aged_out = (discharge >= eighteenth) | (reason == REASONS.index("emancipation"))
    # Most youths leave on their 18th birthday; some stay in extended foster care up to 21.
    extended = (rng.random(n) < 0.3) * rng.integers(0, 3 * 365, n)
    discharge = np.where(aged_out, np.maximum(eighteenth + extended, removal + 1), discharge)
    reason = np.where(aged_out, REASONS.index("emancipation"), reason)
    still_in = discharge > _days(EXTRACT_DATE)
    return np.where(still_in, -1, discharge), np.where(still_in, -1, reason)


def _episodes(rng: np.random.Generator, kids: Children) -> Episodes:
    child = np.flatnonzero(kids.first_removal >= 0)
    removal = kids.first_removal[child]
    parts: list[tuple[Array, ...]] = []
    for _ in range(MAX_EPISODES):
        discharge, reason = _one_round(rng, kids, child, removal)
        parts.append((child, removal, discharge, reason))
        child, removal = _reentries(rng, kids, child, discharge, reason)
        if child.size == 0:
            break
    columns = [np.concatenate(column) for column in zip(*parts, strict=True)]
    child, removal, discharge, reason = columns
    order = np.lexsort((removal, child))
    child = child[order]
    return Episodes(child, kids.county[child], kids.office[child], removal[order],
                    discharge[order], reason[order])


def _reentries(
    rng: np.random.Generator, kids: Children, child: Array, discharge: Array, reason: Array
) -> tuple[Array, Array]:
    """Children coming back into care after going home, and their new removal day."""
    slower = np.isin(kids.race[child], list(SLOWER_PERMANENCY))
    chance = np.where(slower, 0.15, 0.12)
    back = np.isin(reason, REENTRY_REASONS) & (rng.random(child.size) < chance)
    gap = rng.exponential(300, child.size).astype(np.int64)
    removal = discharge + gap
    back &= (removal < kids.eighteenth[child]) & (removal <= _days(EXTRACT_DATE))
    return child[back], removal[back]


@dataclass
class Placements:
    episode: Array
    start: Array
    end: Array  # -1 when open
    setting: Array


def _placement_rows(
    rng: np.random.Generator, eps: Episodes, kids: Children
) -> tuple[Array, Array, Array]:
    """Episode index, day offset from removal, and setting of every ordinary placement."""
    span = np.where(eps.discharge >= 0, eps.discharge, _days(EXTRACT_DATE) + 1) - eps.removal
    teen = (eps.removal - kids.birth[eps.child]) > 12 * 365
    rate = MOVES_PER_DAY * np.where(teen, 1.6, 1.0)
    moves = np.minimum(rng.poisson(span * rate + 0.1), np.maximum(span - 1, 0))
    counts = 1 + np.minimum(moves, 25)
    episode = np.repeat(np.arange(eps.removal.size), counts)
    first = np.zeros(episode.size, dtype=bool)
    first[np.concatenate([[0], np.cumsum(counts)[:-1]])] = True
    offset = 1 + (rng.random(episode.size) * np.maximum(span[episode] - 1, 0)).astype(np.int64)
    offset = np.where(first, 0, offset)
    setting = np.where(
        first,
        rng.choice(len(SETTINGS), size=episode.size, p=FIRST_SETTING_P),
        rng.choice(len(SETTINGS), size=episode.size, p=LATER_SETTING_P),
    )
    order = np.lexsort((offset, episode))
    return episode[order], offset[order], setting[order]


def _placements(rng: np.random.Generator, eps: Episodes, kids: Children) -> Placements:
    episode, offset, setting = _placement_rows(rng, eps, kids)
    start = eps.removal[episode] + offset
    last = np.r_[episode[1:] != episode[:-1], True]
    adoption = eps.reason == REASONS.index("adoption")
    setting = np.where(last & adoption[episode], SETTINGS.index("pre_adoptive"), setting)
    end = np.where(last, eps.discharge[episode], np.r_[start[1:], 0])
    episode, start, end, setting = _add_trial_home_visits(rng, eps, episode, start, end, setting)
    return Placements(episode, start, end, setting)


def _add_trial_home_visits(
    rng: np.random.Generator, eps: Episodes, episode: Array, start: Array, end: Array,
    setting: Array,
) -> tuple[Array, Array, Array, Array]:
    """A trial home visit as the last placement before some reunifications."""
    last_rows = np.flatnonzero(np.r_[episode[1:] != episode[:-1], True])
    owner = episode[last_rows]
    reunified = eps.reason[owner] == REASONS.index("reunification")
    visit_start = eps.discharge[owner] - rng.integers(7, 150, owner.size)
    chosen = reunified & (rng.random(owner.size) < 0.4) & (visit_start > start[last_rows])
    rows, owner, visit_start = last_rows[chosen], owner[chosen], visit_start[chosen]
    end = end.copy()
    end[rows] = visit_start
    episode = np.concatenate([episode, owner])
    start = np.concatenate([start, visit_start])
    end = np.concatenate([end, eps.discharge[owner]])
    setting = np.concatenate([setting, np.full(owner.size, SETTINGS.index("trial_home_visit"))])
    order = np.lexsort((start, episode))
    return episode[order], start[order], end[order], setting[order]


@dataclass
class Reports:
    child: Array
    day: Array
    incident: Array  # -1 when unknown
    disposition: Array
    fatality: Array


def _report_block(
    rng: np.random.Generator, child: Array, day: Array, disposition_p: tuple[float, ...],
    kids: Children,
) -> Reports:
    n = child.size
    day = np.clip(day, kids.birth[child], _days(EXTRACT_DATE))
    incident = np.where(
        rng.random(n) < 0.6, np.maximum(day - rng.integers(0, 10, n), kids.birth[child]), -1
    )
    disposition = rng.choice(4, size=n, p=disposition_p)
    fatality = np.where(rng.random(n) < 0.0005, 0, 1)  # 0 is "yes"
    return Reports(child, day, incident, disposition, fatality)


def _reports(rng: np.random.Generator, kids: Children, eps: Episodes) -> Reports:
    blocks = [_report_block(rng, eps.child, eps.removal - rng.integers(0, 21, eps.child.size),
                            DISPOSITION_AT_REMOVAL_P, kids)]
    span = np.where(eps.discharge >= 0, eps.discharge, _days(EXTRACT_DATE)) - eps.removal
    victimized = rng.poisson(span * IN_CARE_REPORTS_PER_DAY)
    owner = np.repeat(np.arange(eps.child.size), victimized)
    in_care_day = eps.removal[owner] + (rng.random(owner.size) * span[owner]).astype(np.int64)
    blocks.append(_report_block(rng, eps.child[owner], in_care_day, (0.8, 0.2, 0.0, 0.0), kids))
    reported_only = np.flatnonzero(kids.first_removal < 0)
    start, end = _days(WINDOW_START), _days(EXTRACT_DATE)
    first_day = np.maximum(rng.integers(start, end + 1, reported_only.size),
                           kids.birth[reported_only])
    blocks.append(_report_block(rng, reported_only, first_day, DISPOSITION_REPORT_ONLY_P, kids))
    blocks.append(_recurrences(rng, blocks[0], blocks[2], kids))
    return Reports(*(np.concatenate([getattr(b, name) for b in blocks]) for name in
                     ("child", "day", "incident", "disposition", "fatality")))


def _recurrences(
    rng: np.random.Generator, at_removal: Reports, reported_only: Reports, kids: Children
) -> Reports:
    child = np.concatenate([at_removal.child, reported_only.child])
    day = np.concatenate([at_removal.day, reported_only.day])
    again = rng.random(child.size) < 0.08
    # A few come back within two weeks: the same incident reported twice.
    gap = np.where(rng.random(child.size) < 0.2, rng.integers(1, 15, child.size),
                   rng.integers(15, 366, child.size))
    return _report_block(rng, child[again], day[again] + gap[again], (0.8, 0.2, 0.0, 0.0), kids)


@dataclass
class Assignments:
    episode: Array
    worker: Array
    start: Array
    end: Array


def _assignments(rng: np.random.Generator, eps: Episodes) -> Assignments:
    counts = 1 + (rng.random(eps.child.size) < 0.35) + (rng.random(eps.child.size) < 0.1)
    episode = np.repeat(np.arange(eps.child.size), counts)
    span = np.where(eps.discharge >= 0, eps.discharge, _days(EXTRACT_DATE)) - eps.removal
    first = np.zeros(episode.size, dtype=bool)
    first[np.concatenate([[0], np.cumsum(counts)[:-1]])] = True
    offset = np.where(first, 0, (rng.random(episode.size) * span[episode]).astype(np.int64))
    order = np.lexsort((offset, episode))
    episode, offset = episode[order], offset[order]
    start = eps.removal[episode] + offset
    last = np.r_[episode[1:] != episode[:-1], True]
    end = np.where(last, eps.discharge[episode], np.r_[start[1:], 0])
    worker = rng.integers(1, 26, episode.size)
    return Assignments(episode, worker, start, end)


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
    window_years = (_days(EXTRACT_DATE) - _days(WINDOW_START)) / 365.25
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
    kids = _children(rng, geo, size, int(size * REPORTED_ONLY_SHARE))
    eps, kids = _trim(_episodes(rng, kids), kids, remaining)
    places = _placements(rng, eps, kids)
    reports = _reports(rng, kids, eps)
    work = _assignments(rng, eps)
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
