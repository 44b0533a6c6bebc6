"""Stock and flow on the other backends: PostgreSQL gives DuckDB's rows exactly (the data of
test_backends, in throw-away schemas), and every table compiles to Spark SQL over the contract
and fact tables."""

from __future__ import annotations

from datetime import date

import ibis.expr.operations as ops
import pytest

from practicehub.outcomes.data import store
from practicehub.outcomes.engine import computing, contract, facts, stock_flow
from practicehub.outcomes.engine.measures.base import MeasureParams
from practicehub.outcomes.engine.periods import parse_period
from practicehub.outcomes.engine.tables import OutcomeTables
from practicehub.outcomes.tests.test_backends import (  # noqa: F401  (fixtures)
    GROUPINGS,
    HAND_BUILT_PERIOD,
    SYNTHETIC_PERIODS,
    datasets,
    needs_postgres,
    postgres,
    uses_test_database,
)


def _compare(duck: store.DuckDBData, runner: computing.IbisRunner, period: str,
             by: tuple[str, ...], day: date | None = None) -> None:
    arguments = {"by": by, "day": day, "suppress_cells": False}
    expected = stock_flow.compute(duck, parse_period(period), **arguments).rows  # type: ignore[arg-type]
    got = stock_flow.compute(runner, parse_period(period), **arguments).rows  # type: ignore[arg-type]
    assert got == expected
    assert any(row.count for row in expected if row.category != stock_flow.TOTAL)


@needs_postgres
@uses_test_database
@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "-".join(by) or "total")
@pytest.mark.parametrize("period", SYNTHETIC_PERIODS)
def test_every_count_table_gives_duckdbs_rows_on_postgres_for_synthetic_data(
    datasets: dict[str, store.DuckDBData], postgres: dict[str, computing.IbisRunner],  # noqa: F811
    period: str, by: tuple[str, ...],
) -> None:
    _compare(datasets["synthetic"], postgres["synthetic"], period, by)


@needs_postgres
@uses_test_database
@pytest.mark.parametrize("day", [None, date(2023, 7, 15), date(2023, 3, 1)])
def test_every_count_table_gives_duckdbs_rows_on_postgres_for_the_hand_built_cases(
    datasets: dict[str, store.DuckDBData], postgres: dict[str, computing.IbisRunner],  # noqa: F811
    day: date | None,
) -> None:
    _compare(datasets["hand_built"], postgres["hand_built"], HAND_BUILT_PERIOD, ("office",), day)


def test_every_count_table_compiles_to_spark_sql_over_the_contract_tables() -> None:
    params = MeasureParams.build(parse_period("23A23B"), ("county", "race_ethnicity"))
    for table_id in stock_flow.TABLES:
        expr = stock_flow.count_table(OutcomeTables.unbound(), table_id, params)
        read = {table.name for table in expr.op().find(ops.UnboundTable)}
        sql = computing.to_sql(expr, "pyspark")
        assert sql.lstrip().upper().startswith(("SELECT", "WITH")), table_id
        assert read <= {*contract.TABLES_BY_NAME, *facts.STORED_FACTS}, table_id
        for column in (*params.by, "category", "count"):
            assert f"`{column}`" in sql, (table_id, column)


@pytest.mark.parametrize("period", SYNTHETIC_PERIODS)
def test_the_totals_are_the_measures_counts_on_synthetic_data(
    datasets: dict[str, store.DuckDBData], period: str,  # noqa: F811
) -> None:
    # The same children as the entry rate's numerator and the in-care stage's, per county (a
    # county with population but no episode has no row here: 0).
    data, parsed = datasets["synthetic"], parse_period(period)
    measured = computing.compute(data, parsed, by=("county",), suppress=False,
                              measures=["entry_rate", "rate_per_1000_in_care"]).rows
    counted = stock_flow.compute(data, parsed, by=("county",), tables=["entries", "in_care"],
                                 suppress_cells=False).rows
    totals = {(row.table, row.group("county")): row.count for row in counted
              if row.category == stock_flow.TOTAL}
    for row in measured:
        table = "entries" if row.measure == "entry_rate" else "in_care"
        if row.group("county") is not None:
            assert totals.get((table, row.group("county")), 0) == row.numerator, row
    entries = sum(row.numerator or 0 for row in measured if row.measure == "entry_rate")
    assert entries > 0
    assert totals[("entries", stock_flow.TOTAL)] == entries
