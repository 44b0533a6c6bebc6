"""The pages of the product and how to open each, for the accessibility walk.

``PAGES`` maps a URL name to a function giving its URL arguments for a signed-in user. URLs that
are not pages (POST-only actions, redirects) are listed in ``NOT_PAGES`` with the reason;
test_every_page_is_in_the_accessibility_walk fails when a new URL is in neither.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.scoping import home_nodes
from practicehub.practice_model.models import ModelVersion
from practicehub.practice_model.services import find_version, start_draft

Arguments = Callable[[User], dict[str, Any]]


def _none(user: User) -> dict[str, Any]:
    return {}


def _my_site(user: User) -> dict[str, Any]:
    return {"pk": home_nodes(user)[0].pk}


def _myself(user: User) -> dict[str, Any]:
    return {"pk": user.pk}


def _a_site_i_manage(user: User) -> dict[str, Any]:
    return {"pk": OrgNode.objects.get(code="fresno-central").pk}


def _cfpm(user: User) -> dict[str, Any]:
    return {"key": "cfpm", "version": "2026.1"}


def _a_behavior(user: User) -> dict[str, Any]:
    return {**_cfpm(user), "code": _first_behavior_code(find_version("cfpm@2026.1"))}


def _a_draft_behavior(user: User) -> dict[str, Any]:
    """A draft to edit: started here, since the shipped versions are published."""
    published = find_version("cfpm@2026.1")
    draft = ModelVersion.objects.filter(key="cfpm", label="2026.2").first()
    draft = draft or start_draft(published, "2026.2")
    return {"key": "cfpm", "version": draft.label, "code": _first_behavior_code(draft)}


def _first_behavior_code(version: ModelVersion) -> str:
    return str(version.behavior_set.order_by("order").values_list("code", flat=True)[0])


def _my_refused_job(user: User) -> dict[str, Any]:
    """A finished background import of the user's, refused with its problems table."""
    from practicehub.core.models import ImportJob, JobStatus

    job = ImportJob.objects.create(
        kind="fidelity.observations", title="Import of observations", submitted_by=user,
        file_name="visits.csv", stored_file="uploads/visits.csv", rows_total=2500,
        status=JobStatus.REFUSED, summary="1 problem(s) found; nothing was imported.",
        problems=[{"row": 8, "column": "observed_on", "message": "not a date like 2025-03-31"}])
    return {"pk": job.pk}


PAGES: dict[str, Arguments] = {
    "core:home": _none,
    "core:job": _my_refused_job,
    "core:search": _none,
    "accounts:org_tree": _none,
    "accounts:node": _my_site,
    "accounts:node_create": _none,
    "accounts:node_edit": _a_site_i_manage,
    "accounts:people": _none,
    "accounts:person": _myself,
    "accounts:person_create": _none,
    "audit:events": _none,
    "practice_model:index": _none,
    "practice_model:version": _cfpm,
    "practice_model:values": _cfpm,
    "practice_model:capacity": _cfpm,
    "practice_model:systemic_issues": _cfpm,
    "practice_model:behavior": _a_behavior,
    "practice_model:behavior_edit": _a_draft_behavior,
}

NOT_PAGES: dict[str, str] = {
    "accounts:login": "walked signed out in test_sign_in_page_passes_axe",
    "accounts:logout": "POST-only action",
    "accounts:role_grant": "POST-only action; its error state renders the person page",
    "accounts:role_revoke": "POST-only action",
    "audit:export": "a CSV or Excel file (tested in audit/tests/test_audit_export.py)",
    "core:digest": "POST-only action (the home page's digest setting)",
    "core:healthz": "JSON for load balancers, not a page",
    "core:favicon": "redirect to the site icon",
    "api:api-root": "JSON API",
    "api:openapi-json": "JSON API",
    "api:accounts_me": "JSON API",
    "api:accounts_nodes": "JSON API",
    "api:practice_model_versions": "JSON API",
    "api:practice_model_version": "JSON API",
    "practice_model:start_draft": "POST-only action; its error state renders the version page",
    "practice_model:publish": "POST-only action",
    "oidc_authentication_init": "redirect to the identity provider",
    "oidc_authentication_callback": "redirect back from the identity provider",
    "oidc_logout": "redirect",
}


def _merge_area_pages() -> None:
    """Areas keep their pages in ``tests/browser/pages_<area>.py`` with the same two dicts."""
    folder = Path(__file__).parent
    for found in sorted(pkgutil.iter_modules([str(folder)]), key=lambda m: m.name):
        if found.name.startswith("pages_"):
            module = import_module(f"tests.browser.{found.name}")
            PAGES.update(module.PAGES)
            NOT_PAGES.update(module.NOT_PAGES)


_merge_area_pages()
