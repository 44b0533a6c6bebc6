"""The typed input tables the measures are written against, independent of any backend.

Two kinds: the contract tables of spec §1, and the fact tables derived from them once at load time
(``facts.py``). Measures read both by name; every backend that runs measures holds both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import ibis
import ibis.expr.types as ir

from practicehub.outcomes.engine import contract, facts

_IBIS_TYPES = {"text": "string", "code": "string", "date": "date", "integer": "int64"}


def ibis_schema(spec: contract.TableSpec) -> ibis.Schema:
    """The loaded (typed) schema of a contract table."""
    fields: dict[str, str] = {column.name: _IBIS_TYPES[column.kind] for column in spec.columns}
    if spec.name == "placements":
        fields[contract.PLACEMENT_ORDER_COLUMN] = "int64"
    return ibis.schema(fields)


@dataclass(frozen=True)
class ContractTables:
    """One Ibis table per contract table, all from the same backend (or all unbound)."""

    children: ir.Table
    episodes: ir.Table
    placements: ir.Table
    maltreatment_reports: ir.Table
    population: ir.Table
    assignments: ir.Table | None = None

    @classmethod
    @lru_cache(maxsize=1)
    def unbound(cls) -> ContractTables:
        """Schema-only contract tables."""
        tables = {
            spec.name: ibis.table(ibis_schema(spec), name=spec.name) for spec in contract.TABLES
        }
        return cls(**tables)


@dataclass(frozen=True)
class OutcomeTables:
    """The contract tables and the fact tables derived from them: what measures read."""

    children: ir.Table
    episodes: ir.Table
    placements: ir.Table
    maltreatment_reports: ir.Table
    population: ir.Table
    child_facts: ir.Table
    episode_keys: ir.Table
    episode_facts: ir.Table
    placement_facts: ir.Table
    victim_reports: ir.Table
    assignments: ir.Table | None = None

    @classmethod
    @lru_cache(maxsize=1)
    def unbound(cls) -> OutcomeTables:
        """Schema-only tables, for compiling measures to SQL of any dialect without data."""
        sources = ContractTables.unbound()
        derived = {
            name: ibis.table(expression.schema(), name=name)
            for name, expression in facts.fact_expressions(sources).items()
        }
        return cls(**vars(sources), **derived)
