"""Who may open each outcome dashboard. Every signed-in user sees the aggregate figures of the
counties in their scope (services/access.py); a county outside it answers 404 in the view."""

from __future__ import annotations

from practicehub.accounts.roles import SIGNED_IN, Rule

URL_PERMISSIONS: dict[str, Rule] = {
    "outcomes:dashboard": SIGNED_IN,
    "outcomes:disparities": SIGNED_IN,
    "outcomes:long_stays": SIGNED_IN,
    "outcomes:time_to_permanency": SIGNED_IN,
    "api:outcomes_measures": SIGNED_IN,
    "api:outcomes_counts": SIGNED_IN,
    "api:outcomes_time_to_permanency": SIGNED_IN,
}
