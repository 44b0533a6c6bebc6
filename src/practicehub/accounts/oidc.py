"""OpenID Connect single sign-on (mozilla-django-oidc), used when OIDC_RP_CLIENT_ID is set.

People are matched to accounts by e-mail address. A new person signing in gets an account with
no roles: an administrator decides what they may see, so single sign-on never widens access.
"""

from __future__ import annotations

from typing import Any

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from practicehub.accounts.models import User


class PracticehubOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email)

    def create_user(self, claims: dict[str, Any]) -> User:
        email = str(claims["email"]).strip()
        return User.objects.create_user(
            username=email.lower()[:150], email=email,
            first_name=str(claims.get("given_name", ""))[:150],
            last_name=str(claims.get("family_name", ""))[:150],
        )

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return user
