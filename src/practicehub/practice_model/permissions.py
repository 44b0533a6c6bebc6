"""Who may open each practice model page: everyone signed in reads, model changers change."""

from __future__ import annotations

from practicehub.accounts.roles import SIGNED_IN, Capability, Rule, requires

_CHANGE = requires(Capability.MODEL_CHANGE)

URL_PERMISSIONS: dict[str, Rule] = {
    "practice_model:index": SIGNED_IN,
    "practice_model:version": SIGNED_IN,
    "practice_model:behavior": SIGNED_IN,
    "practice_model:values": SIGNED_IN,
    "practice_model:capacity": SIGNED_IN,
    "practice_model:systemic_issues": SIGNED_IN,
    "practice_model:start_draft": _CHANGE,
    "practice_model:publish": _CHANGE,
    "practice_model:behavior_edit": _CHANGE,
    "api:practice_model_versions": SIGNED_IN,
    "api:practice_model_version": SIGNED_IN,
}
