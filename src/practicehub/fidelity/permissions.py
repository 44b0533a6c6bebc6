"""Who may open each fidelity URL. Whose records they reach is decided by ``visible_to``
(services/access.py): person-level records outside scope answer 404."""

from __future__ import annotations

from practicehub.accounts.roles import SIGNED_IN, Capability, Rule, requires

_OBSERVE = requires(Capability.FIDELITY_OBSERVE)
_PEOPLE = requires(Capability.FIDELITY_PEOPLE)
# Person-level pages: partners, analysts and regional support never open them (aggregates only).
_RECORDS = requires(Capability.FIDELITY_RECORDS)

URL_PERMISSIONS: dict[str, Rule] = {
    "fidelity:dashboard": SIGNED_IN,
    "fidelity:agreement": _OBSERVE,
    # Rows follow scope: offices by fidelity aggregate scope, workers by fidelity.people or self.
    "fidelity:outcomes": SIGNED_IN,
    "fidelity:tools": SIGNED_IN,
    "fidelity:tool_create": requires(Capability.FIDELITY_CONFIGURE),
    "fidelity:observations": _RECORDS,
    "fidelity:observation_start": _OBSERVE,
    "fidelity:observation_import": _OBSERVE,
    "fidelity:observation_export": _PEOPLE,
    "fidelity:observation": _RECORDS,
    "fidelity:observation_edit": _OBSERVE,
    "fidelity:observation_amend": _OBSERVE,
    "fidelity:worker": _RECORDS,
    "fidelity:plan_start": _OBSERVE,
    "fidelity:plans": _RECORDS,
    "fidelity:plan": _RECORDS,
    "fidelity:goal_add": _OBSERVE,
    "fidelity:session_add": _OBSERVE,
    "api:fidelity_tools": SIGNED_IN,
    "api:fidelity_observations": _RECORDS,
    "api:fidelity_observation": _RECORDS,
    "api:fidelity_observation_ratings": _OBSERVE,
    "api:fidelity_observation_submit": _OBSERVE,
    "api:fidelity_observation_amend": _RECORDS,
    "api:fidelity_scores": SIGNED_IN,
}
