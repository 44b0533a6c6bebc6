"""Computing the dashboards' default figures ahead of the first view.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from practicehub.outcomes.engine.periods import rolling_periods
from practicehub.outcomes.services.access import OutcomeScope
from practicehub.outcomes.services.dashboard_data import (
    DashboardData,
    as_of_date,
    first_date_in_data,
    offices_in_data,
    quality_marks,
)
from practicehub.outcomes.services.dashboard_periods import default_period
from practicehub.outcomes.services.dashboard_rows import county_rows
from practicehub.outcomes.services.dashboard_selection import select
from practicehub.outcomes.services.disparities_page import disparities
from practicehub.outcomes.services.long_stays_page import long_stay_totals, long_stays
from practicehub.outcomes.services.overview_page import TREND_PERIODS, TREND_STEP_MONTHS
from practicehub.outcomes.services.permanency_page import permanency

# Other apps' reads of the outcome data to warm with the dashboards (the fidelity app adds its
# page beside the outcomes in its AppConfig.ready, so outcomes need not import it).
WARMERS: list[Callable[[DashboardData], None]] = []

def warm(data: DashboardData) -> None:
    """Compute the default period's figures ahead of the first view: the overview's trend and
    the statewide pages.

    The first view of a period compiles and runs 80 statements (8 periods × 10 measures), tens
    of seconds on a busy machine; afterwards every user and county reads the cached sums.
    """
    last = default_period(as_of_date(data) or date.today())
    first_date_in_data(data)  # the period picker's and the office picker's choices
    offices_in_data(data, "")
    quality_marks(data)
    for period in rolling_periods(last, TREND_PERIODS, TREND_STEP_MONTHS):
        county_rows(data, period)
    # The statewide pages too; their SQL lands in the on-disk cache that county views share.
    statewide = select(data, OutcomeScope(statewide=True, counties=(), unsuppressed=False), "", "")
    disparities(data, statewide)
    long_stay_totals(data, statewide)
    long_stays(data, statewide)
    permanency(data, statewide)
    for warm_also in WARMERS:
        warm_also(data)
