from __future__ import annotations

from practicehub.accounts.roles import Capability, Rule, requires

URL_PERMISSIONS: dict[str, Rule] = {"audit:events": requires(Capability.AUDIT_VIEW)}
