"""Small-cell suppression (§5, CalHHS Data De-identification Guidelines) as a pure function.

What is protected, exactly. A *published table* is every row of one measure for one period in one
result. Inside it, a *line* is a set of rows that differ in one grouping dimension only (for
``--by county,race_ethnicity``: all race rows of one county, and all county rows of one race); with
one grouping dimension the line is the whole table. The total of every line is taken as published,
because the same command grouped more coarsely prints it. The rules, applied to the numerator and
the denominator of each row (both are counts):

1. Primary: a row with a numerator or a denominator from 1 to 10 is suppressed, with every value
   derived from it (value, interval). 0 is shown.
2. Index measures: a ``disparity_*`` row is derived from the white rate of its line along
   race/ethnicity, and a ``disproportionality_*`` row from its line's totals, so they are
   suppressed when those are.
3. Complementary: in every line with a suppressed row and a shown row, if only one row is
   suppressed (recoverable as total minus the shown rows), or the suppressed numerators or the
   suppressed denominators add up to 1–10 (bounding each of them closely), one more row is
   suppressed: the shown row with the smallest non-zero numerator (then smallest denominator).
   This repeats over all lines until nothing changes.

Lines of one row are left alone: their only row equals the published total. Nothing here protects
against combining several results with different groupings beyond the line totals above.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

THRESHOLD = 10
TABLE_KEY = ["measure", "period_start", "period_end"]
MASKED_COLUMNS = ["numerator", "denominator", "value", "ci_low", "ci_high"]
RACE = "race_ethnicity"


def _small(counts: np.ndarray) -> np.ndarray:
    return (counts >= 1) & (counts <= THRESHOLD)


def _lines(table: pd.DataFrame, by: Sequence[str], along: str) -> list[np.ndarray]:
    """Positions of the rows of each line along dimension ``along``."""
    others = [name for name in by if name != along]
    if not others:
        return [np.arange(len(table))]
    keys = table[others].astype("string").fillna("\x00").reset_index(drop=True)
    return [np.asarray(rows) for rows in keys.groupby(others, sort=False).indices.values()]


def _needs_more(line: np.ndarray, hidden: np.ndarray, counts: Sequence[np.ndarray]) -> bool:
    hidden_rows = line[hidden[line]]
    if hidden_rows.size == 0 or hidden_rows.size == line.size:
        return False
    if hidden_rows.size == 1:
        return True
    return any(1 <= int(column[hidden_rows].sum()) <= THRESHOLD for column in counts)


def _next_to_hide(line: np.ndarray, hidden: np.ndarray, num: np.ndarray, den: np.ndarray) -> int:
    shown = line[~hidden[line]]
    order = np.lexsort((shown, den[shown], den[shown] == 0, num[shown], num[shown] == 0))
    return int(shown[order[0]])


def _index_dependencies(
    table: pd.DataFrame, by: Sequence[str], hidden: np.ndarray, num: np.ndarray, den: np.ndarray
) -> bool:
    """Rule 2; True when it hid something new."""
    measure = str(table["measure"].iloc[0])
    if RACE not in by or not measure.startswith(("disparity_", "disproportionality_")):
        return False
    changed = False
    races = table[RACE].to_numpy()
    for line in _lines(table, by, RACE):
        if measure.startswith("disparity_"):
            reference = line[races[line] == "white"]
            depends = bool(hidden[reference].any())
        else:
            depends = bool(_small(np.array([num[line].sum(), den[line].sum()])).any())
        if depends and not hidden[line].all():
            hidden[line] = True
            changed = True
    return changed


def _protect_table(table: pd.DataFrame, by: Sequence[str]) -> np.ndarray:
    num = table["numerator"].fillna(0).to_numpy(dtype=np.int64)
    den = table["denominator"].fillna(0).to_numpy(dtype=np.int64)
    hidden = _small(num) | _small(den)
    lines = [line for along in by for line in _lines(table, by, along) if line.size > 1]
    changed = True
    while changed:
        changed = _index_dependencies(table, by, hidden, num, den)
        for line in lines:
            if _needs_more(line, hidden, (num, den)):
                hidden[_next_to_hide(line, hidden, num, den)] = True
                changed = True
    return hidden


def suppression_mask(frame: pd.DataFrame, by: Sequence[str]) -> pd.Series:
    """True for every row to suppress (rules in the module docstring)."""
    mask = pd.Series(False, index=frame.index)
    if frame.empty:
        return mask
    for _, table in frame.groupby(TABLE_KEY, sort=False, dropna=False):
        mask.loc[table.index] = _protect_table(table, by)
    return mask


def suppress(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """A copy of ``frame`` with suppressed rows marked ``suppressed`` and their counts and derived
    values removed. The input frame is not changed."""
    mask = suppression_mask(frame, by)
    result = frame.copy()
    for column in MASKED_COLUMNS:
        if column in result:
            result[column] = result[column].mask(mask)
    result["suppressed"] = mask.to_numpy()
    return result
