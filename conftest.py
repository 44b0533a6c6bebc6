"""Fixtures for every test: fast password hashing and the persona world."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import Personas, make_personas


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def login_as(client: Client) -> Any:
    """A test client signed in as ``user`` (sign-in itself is tested in accounts/tests)."""

    def _login(user: Any) -> Client:
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def transactional_personas(transactional_db: None) -> Personas:
    """Personas and the shipped practice models, committed so a live server thread sees them."""
    load_shipped_models()
    return make_personas()
