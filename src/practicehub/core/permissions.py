from __future__ import annotations

from practicehub.accounts.roles import PUBLIC, SIGNED_IN, Rule

URL_PERMISSIONS: dict[str, Rule] = {
    "core:home": SIGNED_IN,
    "core:healthz": PUBLIC,
}
