"""Synthetic outcome data for the demo, imported like an agency's extract.

The seed counties (the demo tree's Fresno, Humboldt, Los Angeles, Santa Clara and Sacramento) get
roughly their real caseloads over eleven years, in the demo tree's own offices and carried by the
demo practitioners; every other county is kept at a twentieth of its size, so statewide pages
still show the whole state. Assignments name workers by their platform user name, the convention
that links ``assignments.worker_id`` to people (docs/outcomes.md, "Fidelity and outcomes").

Dates are moved so the extract is "as of" the end of last month, as the fidelity demo's
observations count back from the current month: the two then overlap. Deterministic for a month,
and idempotent: an existing outcome database (the demo's or an agency's) is left alone.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.utils import timezone

from practicehub.accounts.demo import STAFF_SITES
from practicehub.accounts.models import NodeKind, OrgNode, RoleAssignment
from practicehub.accounts.roles import Role
from practicehub.outcomes.data import postgres_store, store, synthetic, synthetic_population
from practicehub.outcomes.engine.counties import COUNTIES
from practicehub.outcomes.services import dashboard_data, dashboard_warming, reading
from practicehub.outcomes.services.access import outcome_store

DEMO_EPISODES = 40_000
SEED = 20260101
# The rest of the state, small: statewide pages need every county, not every child.
REST_OF_STATE_SCALE = 0.05
# The demo tree holds two of Los Angeles County's many regional offices; they carry about this
# share of the county's cases, which keeps the county's figures those of its two demo offices.
SEED_COUNTY_SCALE = {"los-angeles": 0.1}


def demo_sites() -> synthetic_population.Sites:
    """The seed counties' offices and practitioners from the demo tree, the rest of the state
    scaled down."""
    offices: dict[str, list[str]] = {}
    workers: dict[str, list[str]] = {}
    scale: dict[str, float] = {}
    for county in OrgNode.objects.filter(code__in=list(STAFF_SITES)).exclude(fips=""):
        office_nodes = county.subtree().filter(kind=NodeKind.OFFICE).order_by("code")
        offices[county.fips] = [office.code for office in office_nodes]
        for office in office_nodes:
            workers[office.code] = practitioner_usernames(office)
        scale[county.fips] = SEED_COUNTY_SCALE.get(county.code, 1.0)
    for code, _, _ in COUNTIES:
        scale.setdefault(code, REST_OF_STATE_SCALE)
    return synthetic_population.Sites(offices=offices, workers=workers, scale=scale)


def practitioner_usernames(office: OrgNode) -> list[str]:
    """User names of the practitioners in an office's units: the worker ids of its cases."""
    found = RoleAssignment.objects.filter(role=Role.PRACTITIONER,
                                          node__path__startswith=office.path)
    return sorted(set(found.values_list("user__username", flat=True)))


def demo_as_of(today: date) -> date:
    """The last day of the month before ``today``."""
    return today.replace(day=1) - timedelta(days=1)


def move_dates(directory: Path, days: int) -> None:
    """Shift every date of the Parquet files in ``directory`` by ``days`` (population years by
    whole years), keeping every interval, order and validation rule intact."""
    years = round(days / 365.25)
    shift = pa.scalar(days, pa.int32())
    for path in sorted(directory.glob("*.parquet")):
        table = pq.read_table(path)
        for index, column in enumerate(table.schema):
            if pa.types.is_date32(column.type):
                moved = pc.cast(pc.add(pc.cast(table.column(index), pa.int32()), shift),
                                pa.date32())
                table = table.set_column(index, column, moved)
            elif path.stem == "population" and column.name == "year":
                table = table.set_column(index, column, pc.add(table.column(index), years))
        pq.write_table(table, path, compression="zstd")


def build_outcome_data(directory: Path, as_of: date, episodes: int = DEMO_EPISODES) -> None:
    """Write the demo's outcome data directory, its extract "as of" ``as_of``."""
    synthetic.generate(directory, episodes, SEED, sites=demo_sites())
    move_dates(directory, (as_of - synthetic_population.EXTRACT_DATE).days)


def load_demo(progress: Callable[[str], None], episodes: int = DEMO_EPISODES) -> None:
    """Generate and import the demo's outcome data into the configured store (the DuckDB file,
    or the PostgreSQL schema of OUTCOMES_DATABASE_URL), unless it holds data already."""
    location = outcome_store()
    where = (location if isinstance(location, Path)
             else f"PostgreSQL schema {postgres_store.split_url(location)[1]}")
    if _imported(location):
        progress(f"Outcome data already present ({where}); left as they are.")
        return
    progress(f"Generating synthetic outcome data ({episodes:,} episodes) and importing it …")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="practicehub-demo-outcomes-") as folder:
        build_outcome_data(Path(folder), demo_as_of(timezone.localdate()), episodes)
        if isinstance(location, Path):
            store.import_directory(Path(folder), location)
        else:
            postgres_store.import_directory(Path(folder), location)
    # Compiles the overview's SQL into the on-disk cache, so the first page view is quick.
    with dashboard_data.opened(location) as data:
        if data is not None:
            dashboard_warming.warm(data)
    progress(f"  outcome data imported in {time.monotonic() - started:.0f} s.")


def _imported(location: reading.Location) -> bool:
    """Whether ``location`` holds imported data (of any version: an old import is kept too)."""
    if isinstance(location, Path):
        return location.is_file()
    try:
        data = reading.read(location)
    except store.OutdatedDatabaseError:
        return True
    if data is not None:
        data.close()
    return data is not None
