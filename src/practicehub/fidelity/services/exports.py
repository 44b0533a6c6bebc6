"""Submitted observations as a table for CSV download, limited to what the user can see."""

from __future__ import annotations

from django.db.models import QuerySet

from practicehub.accounts.models import User
from practicehub.core.services.tables import Table
from practicehub.fidelity.models import Observation, Status

OBSERVATION_HEADERS = ["id", "tool", "worker", "unit", "observer", "observer_kind", "observed_on",
                       "setting", "paired_with", "rated", "proficient", "meets_fidelity"]


def observations_count(chosen: QuerySet[Observation]) -> int:
    """Rows ``observations_table`` gives for ``chosen`` (to send a large export to the worker)."""
    return chosen.filter(status=Status.SUBMITTED).count()


def observations_table(user: User, chosen: QuerySet[Observation] | None = None) -> Table:
    """The user's submitted observations, or those of ``chosen`` (already scoped to the user,
    with the list's filters)."""
    rows_of = chosen if chosen is not None else Observation.objects.visible_to(user)
    found = (rows_of.filter(status=Status.SUBMITTED)
             .select_related("worker", "observer", "tool", "node").order_by("pk"))
    rows = [[item.pk, item.tool.name, item.worker.username, item.node.code,
             item.observer.username, item.observer_kind, item.observed_on, item.setting,
             item.paired_with_id or "", item.rated_count, item.proficient_count,
             item.meets_fidelity]
            for item in found]
    return Table("observations", "Observations", OBSERVATION_HEADERS, rows)
