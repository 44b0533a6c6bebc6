"""The synthetic children's time in care: episodes and re-entries, placements and trial home
visits, maltreatment reports and recurrences, and caseworker assignments (see :mod:`synthetic`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from practicehub.outcomes.data.synthetic_population import (
    EXTRACT_DATE,
    SLOWER_PERMANENCY,
    WINDOW_START,
    Array,
    Children,
    day_number,
)
from practicehub.outcomes.engine import contract

MAX_EPISODES = 4

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

@dataclass
class Episodes:
    child: Array
    county: Array
    office: Array
    removal: Array
    discharge: Array  # -1 while in care on the extract date
    reason: Array  # index into REASONS, -1 while in care

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
    still_in = discharge > day_number(EXTRACT_DATE)
    return np.where(still_in, -1, discharge), np.where(still_in, -1, reason)


def draw_episodes(rng: np.random.Generator, kids: Children) -> Episodes:
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
    back &= (removal < kids.eighteenth[child]) & (removal <= day_number(EXTRACT_DATE))
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
    span = np.where(eps.discharge >= 0, eps.discharge, day_number(EXTRACT_DATE) + 1) - eps.removal
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


def draw_placements(rng: np.random.Generator, eps: Episodes, kids: Children) -> Placements:
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
    day = np.clip(day, kids.birth[child], day_number(EXTRACT_DATE))
    incident = np.where(
        rng.random(n) < 0.6, np.maximum(day - rng.integers(0, 10, n), kids.birth[child]), -1
    )
    disposition = rng.choice(4, size=n, p=disposition_p)
    fatality = np.where(rng.random(n) < 0.0005, 0, 1)  # 0 is "yes"
    return Reports(child, day, incident, disposition, fatality)


def draw_reports(rng: np.random.Generator, kids: Children, eps: Episodes) -> Reports:
    blocks = [_report_block(rng, eps.child, eps.removal - rng.integers(0, 21, eps.child.size),
                            DISPOSITION_AT_REMOVAL_P, kids)]
    span = np.where(eps.discharge >= 0, eps.discharge, day_number(EXTRACT_DATE)) - eps.removal
    victimized = rng.poisson(span * IN_CARE_REPORTS_PER_DAY)
    owner = np.repeat(np.arange(eps.child.size), victimized)
    in_care_day = eps.removal[owner] + (rng.random(owner.size) * span[owner]).astype(np.int64)
    blocks.append(_report_block(rng, eps.child[owner], in_care_day, (0.8, 0.2, 0.0, 0.0), kids))
    reported_only = np.flatnonzero(kids.first_removal < 0)
    start, end = day_number(WINDOW_START), day_number(EXTRACT_DATE)
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


def draw_assignments(rng: np.random.Generator, eps: Episodes) -> Assignments:
    counts = 1 + (rng.random(eps.child.size) < 0.35) + (rng.random(eps.child.size) < 0.1)
    episode = np.repeat(np.arange(eps.child.size), counts)
    span = np.where(eps.discharge >= 0, eps.discharge, day_number(EXTRACT_DATE)) - eps.removal
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
