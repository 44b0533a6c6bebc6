"""The pages of the product and how to open each, for the accessibility walk.

``PAGES`` maps a URL name to a function giving its URL arguments for a signed-in user. URLs that
are not pages (POST-only actions, redirects) are listed in ``NOT_PAGES`` with the reason;
test_every_page_is_in_the_accessibility_walk fails when a new URL is in neither.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.services.scoping import home_nodes

Arguments = Callable[[User], dict[str, Any]]


def _none(user: User) -> dict[str, Any]:
    return {}


def _my_site(user: User) -> dict[str, Any]:
    return {"pk": home_nodes(user)[0].pk}


def _myself(user: User) -> dict[str, Any]:
    return {"pk": user.pk}


def _a_site_i_manage(user: User) -> dict[str, Any]:
    return {"pk": OrgNode.objects.get(code="fresno-central").pk}


PAGES: dict[str, Arguments] = {
    "core:home": _none,
    "accounts:org_tree": _none,
    "accounts:node": _my_site,
    "accounts:node_create": _none,
    "accounts:node_edit": _a_site_i_manage,
    "accounts:people": _none,
    "accounts:person": _myself,
    "accounts:person_create": _none,
    "audit:events": _none,
}

NOT_PAGES: dict[str, str] = {
    "accounts:login": "walked signed out in test_sign_in_page_passes_axe",
    "accounts:logout": "POST-only action",
    "accounts:role_grant": "POST-only action; its error state renders the person page",
    "accounts:role_revoke": "POST-only action",
    "core:healthz": "JSON for load balancers, not a page",
    "oidc_authentication_init": "redirect to the identity provider",
    "oidc_authentication_callback": "redirect back from the identity provider",
    "oidc_logout": "redirect",
}
