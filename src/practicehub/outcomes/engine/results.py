"""The result of a computation: one row per measure and group, as in the CSV of §6."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

VALUE_COLUMNS = ("numerator", "denominator", "value", "ci_low", "ci_high", "suppressed",
                 "data_quality")
# §1a: DQ when the data the row is computed from are over a data-quality limit.
DQ, OK = "DQ", "ok"


def result_columns(by: tuple[str, ...] | list[str]) -> list[str]:
    """Output columns in the order of §6."""
    return ["measure", "period_start", "period_end", *by, *VALUE_COLUMNS]


@dataclass(frozen=True)
class ResultRow:
    measure: str
    period_start: date
    period_end: date
    groups: tuple[tuple[str, str | None], ...]  # (dimension, value) in --by order
    numerator: int | None
    denominator: int | None
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    suppressed: bool = False
    data_quality: str = OK

    def group(self, dimension: str) -> str | None:
        return dict(self.groups)[dimension]

    def hidden(self) -> ResultRow:
        """This row suppressed: every count and every value derived from them removed."""
        return replace(self, numerator=None, denominator=None, value=None, ci_low=None,
                       ci_high=None, suppressed=True)

    def as_dict(self) -> dict[str, Any]:
        """Column name to plain value, columns in output order."""
        return {
            "measure": self.measure,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            **dict(self.groups),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "suppressed": self.suppressed,
            "data_quality": self.data_quality,
        }


@dataclass
class ComputeResult:
    rows: list[ResultRow]
    by: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return result_columns(self.by)

    def records(self) -> list[dict[str, Any]]:
        return [row.as_dict() for row in self.rows]

    def to_arrow(self) -> Any:
        """The rows as a pyarrow Table (``.to_pandas()`` for a DataFrame)."""
        from practicehub.outcomes.engine.output import arrow_table

        return arrow_table(self)
