"""The data contract of docs/outcomes.md §1 as data: tables, columns, codes, keys and references.

Validation, loading, the typed schemas the measures are written against, and the synthetic generator
all read these definitions, so a column or a code is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["text", "date", "code", "integer"]

SEX_CODES = ("female", "male", "unknown")
YES_NO_UNKNOWN = ("yes", "no", "unknown")
YES_NO = ("yes", "no")
DISCHARGE_REASONS = (
    "reunification",
    "relative",
    "adoption",
    "guardianship",
    "emancipation",
    "transfer",
    "runaway",
    "death",
)
PLACEMENT_SETTINGS = (
    "pre_adoptive",
    "relative_foster",
    "nonrelative_foster",
    "group_home",
    "institution",
    "supervised_independent_living",
    "runaway",
    "trial_home_visit",
)
DISPOSITIONS = ("substantiated", "indicated", "unsubstantiated", "other")

RACE_FLAGS = ("race_aian", "race_asian", "race_black", "race_nhopi", "race_white")
# The race category each flag yields when it is the only one set (federal profile method, §2).
RACE_FLAG_CATEGORY = {
    "race_aian": "aian",
    "race_asian": "asian",
    "race_black": "black",
    "race_nhopi": "nhopi",
    "race_white": "white",
}
RACE_ETHNICITY = ("hispanic", "aian", "asian", "black", "nhopi", "white", "two_or_more", "unknown")
AGE_BANDS = ("under_1", "1_5", "6_10", "11_16", "17")

PERMANENCY_REASONS = ("reunification", "relative", "guardianship", "adoption")
# P4 counts discharges to these only: an adoption ends the parents' case for good.
REENTRY_COHORT_REASONS = ("reunification", "relative", "guardianship")
VICTIM_DISPOSITIONS = ("substantiated", "indicated")
MOVE_EXCLUDED_SETTINGS = ("trial_home_visit", "runaway")

# The tables holding the rows that the data-quality checks (§1a, quality.py) set aside.
SET_ASIDE_PREFIX = "set_aside_"

# The dimensions a measure can be grouped by; the population table carries only the first three.
DIMENSIONS = ("county", "office", "race_ethnicity", "age_band", "sex")
POPULATION_DIMENSIONS = ("county", "race_ethnicity", "age_band")


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    required: bool = False
    codes: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    # A county code: in FIPS style (digits) it must be a county the platform knows (counties.py).
    county: bool = False
    # The column must be in the file, but an empty value is a record-level problem (§1a), not a
    # structural one: the row is flagged and its child set aside.
    blank_is_flagged: bool = False


@dataclass(frozen=True)
class Reference:
    """``column`` of this table must match ``target_column`` of a row of ``target``."""

    column: str
    target: str
    target_column: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    optional: bool = False
    # An import refuses the table with no rows (§1: structural): a header-only file would
    # otherwise replace every stored row with none.
    needs_rows: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def _code(name: str, codes: tuple[str, ...], *, required: bool = False) -> Column:
    return Column(name, "code", required=required, codes=codes)


CHILDREN = TableSpec(
    "children",
    (
        Column("child_id", "text", required=True),
        Column("birth_date", "date", required=True, blank_is_flagged=True),
        _code("sex", SEX_CODES),
        *(_code(flag, YES_NO_UNKNOWN) for flag in RACE_FLAGS),
        _code("hispanic", YES_NO_UNKNOWN),
    ),
    key=("child_id",),
    needs_rows=True,
)

EPISODES = TableSpec(
    "episodes",
    (
        Column("episode_id", "text", required=True),
        Column("child_id", "text", required=True),
        Column("county", "text", required=True, county=True),
        Column("office", "text"),
        Column("removal_date", "date", required=True),
        Column("discharge_date", "date"),
        _code("discharge_reason", DISCHARGE_REASONS),
    ),
    key=("episode_id",),
    references=(Reference("child_id", "children", "child_id"),),
    needs_rows=True,
)

PLACEMENTS = TableSpec(
    "placements",
    (
        Column("episode_id", "text", required=True),
        Column("start_date", "date", required=True),
        Column("end_date", "date"),
        _code("setting", PLACEMENT_SETTINGS),
    ),
    references=(Reference("episode_id", "episodes", "episode_id"),),
    needs_rows=True,
)

MALTREATMENT_REPORTS = TableSpec(
    "maltreatment_reports",
    (
        Column("report_id", "text", required=True),
        Column("child_id", "text", required=True),
        Column("county", "text", county=True),
        Column("report_date", "date", required=True),
        Column("incident_date", "date"),
        _code("disposition", DISPOSITIONS),
        _code("fatality", YES_NO),
    ),
    key=("report_id",),
    references=(Reference("child_id", "children", "child_id"),),
)

# A population row is a cell of a cross-tabulation: every column is needed and the cell is the key.
POPULATION = TableSpec(
    "population",
    (
        Column("county", "text", required=True, county=True),
        Column("year", "integer", required=True, minimum=1900, maximum=2200),
        _code("race_ethnicity", RACE_ETHNICITY, required=True),
        Column("age", "integer", required=True, minimum=0, maximum=17),
        Column("count", "integer", required=True, minimum=0),
    ),
    key=("county", "year", "race_ethnicity", "age"),
    needs_rows=True,
)

ASSIGNMENTS = TableSpec(
    "assignments",
    (
        Column("episode_id", "text", required=True),
        Column("worker_id", "text", required=True),
        Column("office", "text"),
        Column("start_date", "date", required=True),
        Column("end_date", "date"),
    ),
    references=(Reference("episode_id", "episodes", "episode_id"),),
    optional=True,
)

TABLES: tuple[TableSpec, ...] = (
    CHILDREN,
    EPISODES,
    PLACEMENTS,
    MALTREATMENT_REPORTS,
    POPULATION,
    ASSIGNMENTS,
)
TABLES_BY_NAME = {spec.name: spec for spec in TABLES}

# The loaded placements keep their position in the file: the spec breaks ties of start_date by it.
PLACEMENT_ORDER_COLUMN = "placement_seq"
