"""Who may open each implementation page: everyone signed in reads what their scope holds;
changing needs ``implementation.manage`` (and the service checks it at the record's site)."""

from __future__ import annotations

from practicehub.accounts.roles import SIGNED_IN, Capability, Rule, requires

_MANAGE = requires(Capability.IMPLEMENTATION_MANAGE)

URL_PERMISSIONS: dict[str, Rule] = {
    "implementation:index": SIGNED_IN,
    "implementation:team_list": SIGNED_IN,
    "implementation:team_create": _MANAGE,
    "implementation:team_detail": SIGNED_IN,
    "implementation:team_edit": _MANAGE,
    "implementation:member_add": _MANAGE,
    "implementation:meeting_create": _MANAGE,
    "implementation:meeting_detail": SIGNED_IN,
    "implementation:meeting_edit": _MANAGE,
    "implementation:decision_add": _MANAGE,
    "implementation:item_add": _MANAGE,
    "implementation:item_status": _MANAGE,
    "implementation:plan_list": SIGNED_IN,
    "implementation:plan_create": _MANAGE,
    "implementation:plan_detail": SIGNED_IN,
    "implementation:plan_edit": _MANAGE,
    "implementation:plan_timeline": SIGNED_IN,
    "implementation:priority_add": _MANAGE,
    "implementation:objective_add": _MANAGE,
    "implementation:action_add": _MANAGE,
    "implementation:action_status": _MANAGE,
    "implementation:indicator_create": _MANAGE,
    "implementation:indicator_edit": _MANAGE,
    "implementation:indicator_delete": _MANAGE,
    "implementation:stage_list": SIGNED_IN,
    "implementation:stage_site": SIGNED_IN,
    "implementation:stage_record": _MANAGE,
    "implementation:stage_rate": _MANAGE,
    "implementation:support_list": SIGNED_IN,
    "implementation:support_create": _MANAGE,
    "implementation:lesson_list": SIGNED_IN,
    "implementation:lesson_create": _MANAGE,
    "implementation:export": SIGNED_IN,
    "api:implementation_teams": SIGNED_IN,
    "api:implementation_team": SIGNED_IN,
    "api:implementation_plans": SIGNED_IN,
    "api:implementation_plan": SIGNED_IN,
    "api:implementation_action_status": _MANAGE,
    "api:implementation_stages": SIGNED_IN,
    "api:implementation_support": SIGNED_IN,
    "api:implementation_support_log": _MANAGE,
    "api:implementation_dosage": SIGNED_IN,
    "api:implementation_lessons": SIGNED_IN,
}
