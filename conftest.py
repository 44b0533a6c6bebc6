"""Fixtures for every test: fast password hashing, the persona world, the hypothesis profile."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from django.test import Client

from practicehub.core.services import kept
from practicehub.outcomes.data import store, synthetic
from practicehub.outcomes.services import dashboard_data, dashboard_warming
from practicehub.practice_model.services import load_shipped_models
from practicehub.testing.personas import Personas, make_personas

# CI (CI=true, as .ci/run runs) tries the same examples on every run, so a red build is the code's
# doing, not a newly drawn example; a failure prints the example's blob to reproduce it. Elsewhere
# hypothesis draws new examples each run. HYPOTHESIS_PROFILE=ci picks the fixed seed anywhere.
hypothesis.settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis.settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in {"1", "true", "yes"} else "default"))


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_fidelity_cache(settings: Any, request: pytest.FixtureRequest) -> None:
    """Each test its own fidelity figures: test databases reuse ids (and frozen clocks reuse
    timestamps), so a data version could repeat across tests with other ratings."""
    settings.FIDELITY_CACHE_SALT = request.node.nodeid
    kept.forget_in_process()  # what an earlier test kept in this process's memory


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


@pytest.fixture(scope="session")
def small_outcome_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small synthetic outcome import (2,000 episodes, so small groups are suppressed), built
    once per test process, with the dashboards' figures warmed: pages then check what they
    show, not how long a first view takes to compile on a busy runner."""
    folder = tmp_path_factory.mktemp("small-outcomes")
    synthetic.generate(folder / "source", 2000, seed=11)
    store.import_directory(folder / "source", folder / store.DATABASE_NAME)
    with dashboard_data.opened(folder / store.DATABASE_NAME) as data:
        assert data is not None
        dashboard_warming.warm(data)
    return folder
