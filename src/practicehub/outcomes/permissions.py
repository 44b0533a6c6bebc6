"""Who may open each outcome dashboard. Every signed-in user sees the aggregate figures of the
counties in their scope (services/access.py); a county outside it answers 404 in the view."""

from __future__ import annotations

from practicehub.accounts.roles import SIGNED_IN, Capability, Rule, person_level, requires

# The data-quality report counts flagged records per county, scoped like the dashboards whose
# DQ marks link to it; the flagged rows name child ids, so only analysts may download them, and
# the download is person-level and audited.
_ANALYSTS = requires(Capability.OUTCOMES_UNSUPPRESSED)

URL_PERMISSIONS: dict[str, Rule] = {
    "outcomes:dashboard": SIGNED_IN,
    "outcomes:disparities": SIGNED_IN,
    "outcomes:long_stays": SIGNED_IN,
    "outcomes:time_to_permanency": SIGNED_IN,
    "outcomes:data_quality": SIGNED_IN,
    "outcomes:data_quality_flagged": person_level(_ANALYSTS, record="outcomes.flagged_rows"),
    "api:outcomes_measures": SIGNED_IN,
    "api:outcomes_counts": SIGNED_IN,
    "api:outcomes_time_to_permanency": SIGNED_IN,
}
