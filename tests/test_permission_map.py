from __future__ import annotations

from django.conf import settings

from practicehub.accounts.permissions import url_permissions
from tests.urlwalk import named_urls

# Declared in the map for deployments with single sign-on; absent from the URLconf without it.
OIDC_URL_NAMES = {"oidc_authentication_init", "oidc_authentication_callback", "oidc_logout"}


def test_every_url_has_an_entry_in_the_permission_map() -> None:
    missing = [url.name for url in named_urls() if url.name not in url_permissions()]
    assert missing == []


def test_the_permission_map_names_no_url_that_does_not_exist() -> None:
    existing = {url.name for url in named_urls()}
    optional = set() if settings.OIDC_ENABLED else OIDC_URL_NAMES
    assert set(url_permissions()) - existing - optional == set()
