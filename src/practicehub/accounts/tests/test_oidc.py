from __future__ import annotations

from django.test import override_settings

from practicehub.accounts.models import User
from practicehub.accounts.oidc import PracticehubOIDCBackend
from practicehub.testing.personas import Personas

IDP = {
    "OIDC_RP_CLIENT_ID": "practicehub", "OIDC_RP_CLIENT_SECRET": "client-secret",
    "OIDC_RP_SIGN_ALGO": "HS256", "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example/userinfo",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example/authorize",
}


@override_settings(**IDP)
def test_single_sign_on_finds_the_account_by_email_ignoring_case(personas: Personas) -> None:
    coach = personas.fresno.coach
    found = PracticehubOIDCBackend().filter_users_by_claims({"email": coach.email.upper()})
    assert list(found) == [coach]


@override_settings(**IDP)
def test_a_first_single_sign_on_creates_an_account_without_roles(db: None) -> None:
    created = PracticehubOIDCBackend().create_user(
        {"email": "New.Worker@county.example", "given_name": "New", "family_name": "Worker"})
    assert User.objects.get(pk=created.pk).username == "new.worker@county.example"
    assert not created.role_assignments.exists()


@override_settings(**IDP)
def test_claims_without_email_match_nobody(personas: Personas) -> None:
    assert not PracticehubOIDCBackend().filter_users_by_claims({"sub": "123"}).exists()
