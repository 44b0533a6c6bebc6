"""The demo's outcome data: the seed counties in the demo tree's offices, carried by its people."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from practicehub.accounts.demo import STAFF_SITES, ensure_person, synthetic_staff
from practicehub.accounts.models import NodeKind, OrgNode
from practicehub.outcomes import demo
from practicehub.outcomes.data import store
from practicehub.outcomes.services.access import default_database
from practicehub.testing.personas import ensure_tree

EPISODES = 4_000


@pytest.fixture
def demo_database(db: None, settings: Any, tmp_path: Path) -> Path:
    ensure_tree()
    for login in synthetic_staff():
        ensure_person(login)
    settings.OUTCOMES_DIR = tmp_path / "outcomes"
    messages: list[str] = []
    demo.load_demo(messages.append, episodes=EPISODES)
    assert "imported" in messages[-1]
    return default_database()


def _rows(database: Path, sql: str, *parameters: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(sql, list(parameters)).fetchall()


def _seed_offices() -> dict[str, set[str]]:
    """County FIPS code → office codes of the demo tree, for the seed counties."""
    offices: dict[str, set[str]] = {}
    for county in OrgNode.objects.filter(code__in=list(STAFF_SITES)):
        codes = county.subtree().filter(kind=NodeKind.OFFICE).values_list("code", flat=True)
        offices[county.fips] = set(codes)
    return offices


def test_seed_county_episodes_are_in_the_demo_trees_offices(demo_database: Path) -> None:
    for fips, offices in _seed_offices().items():
        found = {office for (office,) in _rows(
            demo_database, "SELECT DISTINCT office FROM episodes WHERE county = ?", fips)}
        assert found == offices, fips


def test_every_assignment_names_a_practitioner_of_the_episodes_office(
    demo_database: Path,
) -> None:
    for offices in _seed_offices().values():
        for office in offices:
            carried = {worker for (worker,) in _rows(
                demo_database, "SELECT DISTINCT worker_id FROM assignments WHERE office = ?",
                office)}
            practitioners = set(demo.practitioner_usernames(OrgNode.objects.get(code=office)))
            assert carried == practitioners, office


def test_the_rest_of_the_state_is_there_but_small(demo_database: Path) -> None:
    counties = dict(_rows(demo_database, "SELECT county, count(*) FROM episodes GROUP BY 1"))
    seeds = set(_seed_offices())
    others = {county: count for county, count in counties.items() if county not in seeds}
    assert len(others) > 20
    assert sum(others.values()) < sum(counties[county] for county in seeds) / 2
    population = _rows(demo_database, "SELECT count(DISTINCT county) FROM population")
    assert population == [(58,)]


def test_the_extract_reaches_the_end_of_last_month(demo_database: Path) -> None:
    as_of = demo.demo_as_of(date.today())
    [(latest,)] = _rows(demo_database, "SELECT max(removal_date) FROM episodes")
    assert latest <= as_of
    assert (as_of - latest).days < 31


def test_running_the_demo_again_keeps_the_data(demo_database: Path) -> None:
    before = demo_database.stat().st_mtime_ns
    messages: list[str] = []
    demo.load_demo(messages.append, episodes=EPISODES)
    assert "already present" in messages[0]
    assert demo_database.stat().st_mtime_ns == before


def test_the_moved_dates_keep_the_data_valid(db: None, tmp_path: Path) -> None:
    ensure_tree()
    demo.build_outcome_data(tmp_path / "data", date(2026, 10, 31), episodes=500)
    result = store.import_directory(tmp_path / "data", tmp_path / "check.duckdb")
    assert result.report.ok
