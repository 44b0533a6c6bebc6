"""Who may open each assessment page: results are read by anyone whose scope (or team) holds
them; starting and scoring an administration needs ``assessments.administer``."""

from __future__ import annotations

from practicehub.accounts.roles import SIGNED_IN, Capability, Rule, requires

_ADMINISTER = requires(Capability.ASSESSMENTS_ADMINISTER)

URL_PERMISSIONS: dict[str, Rule] = {
    "assessments:index": SIGNED_IN,
    "assessments:instrument": SIGNED_IN,
    "assessments:administration_create": _ADMINISTER,
    "assessments:administration": SIGNED_IN,
    "assessments:scores": _ADMINISTER,
    "assessments:suggestion_add": _ADMINISTER,
    "assessments:export": SIGNED_IN,
    "api:assessments_instruments": SIGNED_IN,
    "api:assessments_administrations": SIGNED_IN,
    "api:assessments_administration": SIGNED_IN,
    "api:assessments_scores": _ADMINISTER,
}
