"""Walk every URL anonymously: anything not public sends the visitor to the sign-in page
(the JSON API answers 401 instead)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from practicehub.accounts.permissions import url_permissions
from tests.urlwalk import SAMPLE_KWARGS, named_urls


@pytest.mark.django_db
@pytest.mark.parametrize("url", named_urls(), ids=lambda url: url.name)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, url: object) -> None:
    from tests.urlwalk import NamedUrl

    assert isinstance(url, NamedUrl)
    path = reverse(url.name, kwargs={arg: SAMPLE_KWARGS[arg] for arg in url.arguments})
    rule = url_permissions()[url.name]
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if rule.public:
            assert response.status_code != 302 or "/accounts/login/" not in response["Location"]
        elif url.name.startswith("api:"):
            assert response.status_code == 401, f"{method.upper()} {path}"
            assert response.json() == {"detail": "Sign in or send an API token."}
        else:
            assert response.status_code == 302, f"{method.upper()} {path}"
            assert response["Location"].startswith(reverse("accounts:login"))
