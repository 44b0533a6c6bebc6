"""The synthetic data's children and where they live: counties, offices and workers, the shares
by race/ethnicity, ages at removal and the dates the data cover (see :mod:`synthetic`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from practicehub.outcomes.engine.counties import COUNTIES

Array = np.ndarray[Any, Any]
WINDOW_START = date(2014, 10, 1)
EXTRACT_DATE = date(2025, 9, 30)  # the data are "as of" this day: later discharges are unknown

RACES = ("hispanic", "white", "black", "asian", "aian", "nhopi", "two_or_more", "unknown")
# Share of the child population, and entry rate relative to white children.
POPULATION_SHARE = (0.52, 0.23, 0.05, 0.11, 0.004, 0.003, 0.083, 0.0)
RELATIVE_ENTRY_RATE = (0.95, 1.0, 3.9, 0.2, 3.6, 1.3, 1.2, 0.0)
UNKNOWN_RACE_SHARE = 0.01
SLOWER_PERMANENCY = {RACES.index("black"), RACES.index("aian")}

def day_number(day: date) -> int:
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


def draw_children(rng: np.random.Generator, geo: Geography, removed: int,
                  reported: int) -> Children:
    n = removed + reported
    race = np.concatenate([
        rng.choice(len(RACES), size=removed, p=_entry_race_p()),
        rng.choice(len(RACES), size=reported, p=_entry_race_p()),
    ])
    county = rng.choice(len(geo.codes), size=n, p=geo.entry_weights)
    office = (rng.random(n) * np.array([len(geo.offices[c]) for c in county])).astype(np.int64)
    start, end = day_number(WINDOW_START), day_number(EXTRACT_DATE)
    first = rng.integers(start, end + 1, n)
    birth = first - _age_at_removal(rng, n)
    first[removed:] = -1
    sex = rng.choice(3, size=n, p=[0.49, 0.50, 0.01])
    return Children(race, sex, county, office, birth, add_years(birth, 18), first)
