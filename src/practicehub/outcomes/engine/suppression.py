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
   suppressed when those are (white row suppressed; line total from 1 to 10).
3. Complementary: in every line with a suppressed row and a shown row, if only one row is
   suppressed (recoverable as total minus the shown rows), or the suppressed numerators or the
   suppressed denominators add up to 1–10 (bounding each of them closely), one more row is
   suppressed: the shown row with the smallest non-zero numerator (then smallest denominator,
   then first in order). This repeats over all lines until nothing changes.

Lines of one row are left alone: their only row equals the published total. Nothing here protects
against combining results of different periods or measures.
"""

from __future__ import annotations

from collections.abc import Sequence

from practicehub.outcomes.engine.results import ResultRow

THRESHOLD = 10
RACE = "race_ethnicity"
REFERENCE_GROUP = "white"


def is_small(count: int | None) -> bool:
    return count is not None and 1 <= count <= THRESHOLD


def _counts(row: ResultRow) -> tuple[int, int]:
    return row.numerator or 0, row.denominator or 0


def _lines(rows: Sequence[ResultRow], members: list[int], by: Sequence[str], along: str
           ) -> list[list[int]]:
    """Positions of the rows of each line along dimension ``along``."""
    lines: dict[tuple[str | None, ...], list[int]] = {}
    for position in members:
        groups = dict(rows[position].groups)
        key = tuple(groups[name] for name in by if name != along)
        lines.setdefault(key, []).append(position)
    return list(lines.values())


def _needs_more(line: list[int], rows: Sequence[ResultRow], hidden: list[bool]) -> bool:
    suppressed = [position for position in line if hidden[position]]
    if not suppressed or len(suppressed) == len(line):
        return False
    if len(suppressed) == 1:
        return True
    sums = [sum(_counts(rows[position])[k] for position in suppressed) for k in (0, 1)]
    return any(1 <= total <= THRESHOLD for total in sums)


def _next_to_hide(line: list[int], rows: Sequence[ResultRow], hidden: list[bool]) -> int:
    def cost(position: int) -> tuple[bool, int, bool, int, int]:
        numerator, denominator = _counts(rows[position])
        return numerator == 0, numerator, denominator == 0, denominator, position

    return min((position for position in line if not hidden[position]), key=cost)


def _index_dependencies(
    rows: Sequence[ResultRow], members: list[int], by: Sequence[str], hidden: list[bool]
) -> bool:
    """Rule 2; True when it suppressed something new."""
    measure = rows[members[0]].measure
    disparity = measure.startswith("disparity_")
    if RACE not in by or not (disparity or measure.startswith("disproportionality_")):
        return False
    changed = False
    for line in _lines(rows, members, by, RACE):
        if disparity:
            depends = any(hidden[p] for p in line if rows[p].group(RACE) == REFERENCE_GROUP)
        else:
            totals = [sum(_counts(rows[p])[k] for p in line) for k in (0, 1)]
            depends = any(is_small(total) for total in totals)
        if depends and not all(hidden[p] for p in line):
            for position in line:
                hidden[position] = True
            changed = True
    return changed


def _protect_table(
    rows: Sequence[ResultRow], members: list[int], by: Sequence[str], hidden: list[bool]
) -> None:
    for position in members:
        hidden[position] = any(is_small(count) for count in _counts(rows[position]))
    lines = [line for along in by for line in _lines(rows, members, by, along) if len(line) > 1]
    changed = True
    while changed:
        changed = _index_dependencies(rows, members, by, hidden)
        for line in lines:
            if _needs_more(line, rows, hidden):
                hidden[_next_to_hide(line, rows, hidden)] = True
                changed = True


def suppression_mask(rows: Sequence[ResultRow], by: Sequence[str]) -> list[bool]:
    """True for every row to suppress (rules in the module docstring)."""
    hidden = [False] * len(rows)
    tables: dict[tuple[str, object, object], list[int]] = {}
    for position, row in enumerate(rows):
        tables.setdefault((row.measure, row.period_start, row.period_end), []).append(position)
    for members in tables.values():
        _protect_table(rows, members, by, hidden)
    return hidden


def suppress(rows: Sequence[ResultRow], by: Sequence[str]) -> list[ResultRow]:
    """New rows with suppressed ones marked and emptied; the input rows are not changed."""
    mask = suppression_mask(rows, by)
    return [row.hidden() if hide else row for row, hide in zip(rows, mask, strict=True)]
