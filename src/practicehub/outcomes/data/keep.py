"""What an import does to each stored table: which tables it keeps from the earlier import, and
the rows each table had before and has after.

A table the new data do not hold keeps the earlier import's rows: an optional table with no file
in the data directory (``assignments``), and the tables a federal file has no data for (its
stand-ins). With ``--replace-all`` they are emptied instead. Kept rows are validated again with the
new tables (an assignment must still name an episode that exists), so the rules are the same
whichever way a row arrives. The same logic serves the DuckDB file and the PostgreSQL schema; each
store gives its row counts and a way to export a table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from practicehub.outcomes.data.sources import FORMATS, Source
from practicehub.outcomes.data.validation import ValidationReport
from practicehub.outcomes.engine import contract

# Writes the stored table's contract columns to a file in the folder, as a Source.
Exporter = Callable[[str, Path], Source]


KEPT_SUFFIX = " (kept from the earlier import)"


def kept_label(table: str) -> str:
    """How validation names a kept table in its problems."""
    return f"{table}{KEPT_SUFFIX}"


@dataclass(frozen=True)
class Kept:
    """The earlier import's tables to validate and load again, and a note per table."""

    sources: dict[str, Source] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def _has_file(data_dir: Path, table: str) -> bool:
    return any((data_dir / f"{table}.{fmt}").is_file() for fmt in FORMATS)


def tables_not_given(data_dir: Path, stand_ins: Iterable[str] = ()) -> list[str]:
    """Tables the new data do not hold: optional ones without a file, and the stand-ins."""
    absent = {spec.name for spec in contract.TABLES
              if spec.optional and not _has_file(data_dir, spec.name)}
    wanted = absent | set(stand_ins)
    return [spec.name for spec in contract.TABLES if spec.name in wanted]


def keep_earlier(
    data_dir: Path, before: Mapping[str, int], export: Exporter, folder: Path, *,
    replace_all: bool, stand_ins: frozenset[str] = frozenset(),
) -> Kept:
    """Export the stored tables the new data do not hold into ``folder``, unless ``replace_all``."""
    kept = Kept()
    for table in tables_not_given(data_dir, stand_ins):
        why = ("the source has no data for it" if table in stand_ins
               else f"no {table} file given")
        if table not in before:
            continue
        if replace_all:
            kept.notes[table] = f"emptied by --replace-all: {why}"
            continue
        folder.mkdir(exist_ok=True)
        kept.sources[table] = export(table, folder)
        kept.notes[table] = f"kept from the earlier import: {why}; --replace-all empties it"
    return kept


def contract_columns(table: str, *, set_aside: bool = False) -> str:
    """A query of the stored table's contract columns, in file order (placements keep theirs);
    with ``set_aside``, the rows the data-quality checks set aside too (the whole table)."""
    names = contract.TABLES_BY_NAME[table].column_names
    if table == "placements":
        names = (*names, contract.PLACEMENT_ORDER_COLUMN)
    columns = ", ".join(f'"{name}"' for name in names)
    query = f"SELECT {columns} FROM {table}"  # noqa: S608
    if set_aside:
        query += f" UNION ALL SELECT {columns} FROM {contract.SET_ASIDE_PREFIX}{table}"  # noqa: S608
    if table != "placements":
        return query
    shown = ", ".join(f'"{name}"' for name in contract.TABLES_BY_NAME[table].column_names)
    return (f"SELECT {shown} FROM ({query}) "  # noqa: S608
            f"ORDER BY {contract.PLACEMENT_ORDER_COLUMN}")


@dataclass(frozen=True)
class TableChange:
    """One stored table's rows before and after an import (None: the table is not stored)."""

    table: str
    before: int | None
    after: int | None
    note: str = ""

    def format(self) -> str:
        def count(rows: int | None) -> str:
            return "none" if rows is None else f"{rows:,}"

        note = f" ({self.note})" if self.note else ""
        return f"{self.table}: {count(self.before)} → {count(self.after)}{note}"


def table_changes(before: Mapping[str, int], after: Mapping[str, int],
                  notes: Mapping[str, str]) -> list[TableChange]:
    return [
        TableChange(spec.name, before.get(spec.name), after.get(spec.name),
                    notes.get(spec.name, ""))
        for spec in contract.TABLES
        if spec.name in before or spec.name in after
    ]


@dataclass(frozen=True)
class ImportResult:
    """A successful import: the validation report and what happened to each table."""

    report: ValidationReport
    tables: list[TableChange]

    def format(self) -> str:
        lines = [self.report.format(), "Rows per table (before → after):"]
        lines += [f"  {change.format()}" for change in self.tables]
        return "\n".join(lines)

    def rows(self, table: str) -> tuple[int | None, int | None]:
        """``(before, after)`` of one table."""
        for change in self.tables:
            if change.table == table:
                return change.before, change.after
        return None, None
