from __future__ import annotations

from practicehub.accounts.roles import Capability, Rule, person_level, requires

# The log names who did what: reading it is itself recorded.
URL_PERMISSIONS: dict[str, Rule] = {
    "audit:events": person_level(requires(Capability.AUDIT_VIEW)),
    # The whole log as a file: state administrators only (they alone hold audit.view).
    "audit:export": person_level(requires(Capability.AUDIT_VIEW)),
}
