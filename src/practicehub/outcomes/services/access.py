"""Who sees which outcome figures, and where the imported outcome data are (the DuckDB file in
the data folder, or the PostgreSQL schema ``OUTCOMES_DATABASE_URL`` names).

Outcome figures are aggregates, never person-level rows, so a user sees the figures of every
county their scope touches: counties inside a node they hold a role at, and the county that
contains such a node (an office's coach sees the county's figures). Everyone sees them with the
small-cell suppression of spec §5 unless a role grants ``outcomes.unsuppressed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from practicehub.accounts.models import OrgNode
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability, path_filter, scope_paths
from practicehub.outcomes.data import postgres_store, store
from practicehub.outcomes.services import reading


@dataclass(frozen=True)
class OutcomeScope:
    """The counties a user's outcome figures cover; ``statewide`` means no county filter."""

    statewide: bool
    counties: tuple[str, ...]
    unsuppressed: bool

    @property
    def empty(self) -> bool:
        return not self.statewide and not self.counties

    def engine_scope(self) -> dict[str, tuple[str, ...]] | None:
        """The ``scope`` argument of ``engine.compute``: None for statewide."""
        return None if self.statewide else {"county": self.counties}


def _counties_around(paths: list[str]) -> tuple[str, ...]:
    """FIPS codes of counties inside any path, or on the way down to it."""
    inside = OrgNode.objects.filter(path_filter(paths)).exclude(fips="")
    above = [ancestor for path in paths for ancestor in _ancestor_paths(path)]
    containing = OrgNode.objects.filter(path__in=above).exclude(fips="")
    codes = {node.fips for node in inside} | {node.fips for node in containing}
    return tuple(sorted(codes))


def _ancestor_paths(path: str) -> list[str]:
    """"/ca/r/06019/o1/" → ["/ca/", "/ca/r/", "/ca/r/06019/"]."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[:depth]) + "/" for depth in range(1, len(codes))]


def outcome_scope(user: Any) -> OutcomeScope:
    """The outcome figures ``user`` may see."""
    paths = scope_paths(user)
    roots = OrgNode.objects.filter(parent__isnull=True).values_list("path", flat=True)
    statewide = any(path in set(roots) for path in paths)
    unsuppressed = has_capability(user, Capability.OUTCOMES_UNSUPPRESSED)
    counties = () if statewide else _counties_around(paths)
    return OutcomeScope(statewide, counties, unsuppressed)


def outcome_store() -> reading.Location:
    """Where the imported outcome data are read: the PostgreSQL URL ``OUTCOMES_DATABASE_URL``
    names (with its schema), or by default the DuckDB file in ``OUTCOMES_DIR``."""
    url = str(settings.OUTCOMES_DATABASE_URL)
    if not url:
        return default_database()
    if not postgres_store.is_postgres_url(url):
        # settings.py refuses such a value at start; this is for settings changed later (tests).
        raise ImproperlyConfigured(f"OUTCOMES_DATABASE_URL is not a postgresql:// URL; "
                                   f"{HOW_TO_SET}")
    try:
        postgres_store.split_url(url)
    except ValueError as error:
        raise ImproperlyConfigured(f"OUTCOMES_DATABASE_URL: {error}; {HOW_TO_SET}") from None
    return url


HOW_TO_SET = ("use postgresql://USER@HOST:PORT/DATABASE?schema=NAME, or leave it empty for the "
              "DuckDB file in the data folder")


def open_outcomes() -> store.OutcomeData | None:
    """The imported outcome data of the configured store (:func:`outcome_store`) for one
    request, read-only; None until ``practicehub outcomes import`` ran. Close it after use; its
    ``version`` keys cached results. Data imported by an older practicehub raise
    ``store.OutdatedDatabaseError`` (a NeedsReimport: the pages and the API answer 503)."""
    return reading.read(outcome_store())


def default_database() -> Path:
    """``OUTCOMES_DIR/outcomes.duckdb`` from the Django settings."""
    return Path(settings.OUTCOMES_DIR) / store.DATABASE_NAME
