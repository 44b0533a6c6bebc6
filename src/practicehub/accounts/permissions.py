"""The permission map: every URL name and the rule guarding it, gathered from each app.

Each app declares ``URL_PERMISSIONS`` in its own ``permissions.py``. A URL missing from the map is
refused (default deny) and fails ``tests/test_permission_map.py``.
"""

from __future__ import annotations

from functools import cache

from practicehub.accounts.roles import (
    PUBLIC,
    SIGNED_IN,
    Capability,
    Rule,
    person_level,
    requires,
)
from practicehub.core.app_modules import app_modules

URL_PERMISSIONS: dict[str, Rule] = {
    "accounts:login": PUBLIC,
    "accounts:logout": SIGNED_IN,
    "accounts:org_tree": SIGNED_IN,
    # A site's page lists the staff you can see.
    "accounts:node": person_level(SIGNED_IN),
    "accounts:node_create": requires(Capability.ORG_MANAGE),
    "accounts:node_edit": requires(Capability.ORG_MANAGE),
    "accounts:people": person_level(SIGNED_IN),
    "accounts:person": person_level(SIGNED_IN, record="accounts.user", subject="pk"),
    "accounts:person_create": requires(Capability.PEOPLE_MANAGE),
    "accounts:role_grant": requires(Capability.PEOPLE_MANAGE),
    "accounts:role_revoke": requires(Capability.PEOPLE_MANAGE),
    "api:accounts_me": SIGNED_IN,
    "api:accounts_nodes": SIGNED_IN,
    # OpenID Connect hand-off and callback; present only when OIDC is configured.
    "oidc_authentication_init": PUBLIC,
    "oidc_authentication_callback": PUBLIC,
    "oidc_logout": SIGNED_IN,
}


@cache
def url_permissions() -> dict[str, Rule]:
    merged: dict[str, Rule] = {}
    for _, module in app_modules("permissions"):
        overlap = set(merged) & set(module.URL_PERMISSIONS)
        if overlap:
            raise RuntimeError(f"URL names declared twice in the permission map: {overlap}")
        merged.update(module.URL_PERMISSIONS)
    return merged
