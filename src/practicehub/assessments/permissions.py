"""Who may open each assessment page: results are read by anyone whose scope (or team) holds
them; starting and scoring an administration needs ``assessments.administer``."""

from __future__ import annotations

from django.http import HttpRequest

from practicehub.accounts.roles import SIGNED_IN, Capability, Rule, person_level, requires
from practicehub.accounts.scoping import has_capability

_ADMINISTER = requires(Capability.ASSESSMENTS_ADMINISTER)


def _sees_votes(request: HttpRequest) -> bool:
    """Each member's vote (individual responses) is shown to those who administer."""
    return has_capability(request.user, Capability.ASSESSMENTS_ADMINISTER)


URL_PERMISSIONS: dict[str, Rule] = {
    "assessments:index": SIGNED_IN,
    "assessments:instrument": SIGNED_IN,
    "assessments:administration_create": _ADMINISTER,
    "assessments:administration": person_level(SIGNED_IN, record="assessments.administration",
                                               when=_sees_votes),
    "assessments:scores": person_level(_ADMINISTER, record="assessments.administration"),
    "assessments:suggestion_add": _ADMINISTER,
    "assessments:export": SIGNED_IN,
    "api:assessments_instruments": SIGNED_IN,
    "api:assessments_administrations": SIGNED_IN,
    "api:assessments_administration": SIGNED_IN,
    "api:assessments_scores": _ADMINISTER,
}
