"""Who may open each fidelity URL. Whose records they reach is decided by ``visible_to``
(services/access.py): person-level records outside scope answer 404."""

from __future__ import annotations

from django.http import HttpRequest

from practicehub.accounts.roles import SIGNED_IN, Capability, Rule, person_level, requires
from practicehub.accounts.scoping import has_capability

_OBSERVE = requires(Capability.FIDELITY_OBSERVE)
_PEOPLE = requires(Capability.FIDELITY_PEOPLE)
# Person-level pages: partners, analysts and regional support never open them (aggregates only).
_RECORDS = requires(Capability.FIDELITY_RECORDS)
_OBSERVATION = person_level(_RECORDS, record="fidelity.observation", subject="worker_id")
_OBSERVED = person_level(_OBSERVE, record="fidelity.observation", subject="worker_id")
_PLAN = person_level(_RECORDS, record="fidelity.coachingplan", subject="person_id")


def _by_worker(request: HttpRequest) -> bool:
    """Dashboards and scores name workers only when broken down by worker."""
    return "worker" in (request.GET.get("level"), request.GET.get("by"))


def _sees_workers(request: HttpRequest) -> bool:
    return has_capability(request.user, Capability.FIDELITY_PEOPLE)


URL_PERMISSIONS: dict[str, Rule] = {
    "fidelity:dashboard": person_level(SIGNED_IN, when=_by_worker),
    # Rater agreement names the observers of each pair.
    "fidelity:agreement": person_level(_OBSERVE),
    # Rows follow scope: offices by fidelity aggregate scope, workers by fidelity.people or self.
    "fidelity:outcomes": person_level(SIGNED_IN, when=_sees_workers),
    "fidelity:tools": SIGNED_IN,
    "fidelity:tool_create": requires(Capability.FIDELITY_CONFIGURE),
    "fidelity:observations": person_level(_RECORDS),
    "fidelity:observation_start": _OBSERVE,
    "fidelity:observation_import": _OBSERVE,
    "fidelity:observation_template": _OBSERVE,
    "fidelity:observation_export": person_level(_PEOPLE),
    "fidelity:observation": _OBSERVATION,
    "fidelity:observation_edit": _OBSERVED,
    "fidelity:observation_amend": _OBSERVED,
    "fidelity:observation_submit": _OBSERVED,
    "fidelity:worker": person_level(_RECORDS, record="accounts.user", subject="pk"),
    "fidelity:plan_start": _OBSERVE,
    "fidelity:plans": person_level(_RECORDS),
    "fidelity:plan": _PLAN,
    "fidelity:plan_new": _OBSERVE,
    "fidelity:plan_close": _OBSERVE,
    "fidelity:goal_met": _OBSERVE,
    "fidelity:goal_add": _OBSERVE,
    "fidelity:session_add": _OBSERVE,
    # The implementation-support profile: scoped to support teams (services/profile_access.py).
    # Results are aggregates with small groups hidden; ratings name the person rated.
    "fidelity:profile": SIGNED_IN,
    "fidelity:profile_rate": SIGNED_IN,
    "fidelity:profile_ratings": person_level(SIGNED_IN),
    "fidelity:profile_rating": person_level(SIGNED_IN, record="fidelity.observation",
                                            subject="worker_id"),
    "api:fidelity_tools": SIGNED_IN,
    # GET lists observations; POST records one, which needs fidelity.observe (403 otherwise).
    "api:fidelity_observations": person_level(
        requires(Capability.FIDELITY_RECORDS, writes=Capability.FIDELITY_OBSERVE)),
    "api:fidelity_observation": _OBSERVATION,
    "api:fidelity_observation_ratings": _OBSERVE,
    "api:fidelity_observation_submit": _OBSERVE,
    "api:fidelity_observation_amend": _OBSERVE,
    "api:fidelity_scores": person_level(SIGNED_IN, when=_by_worker),
}
