"""Assessment lists as tables for CSV and Excel, limited to what the user can see."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from practicehub.accounts.models import User
from practicehub.assessments.models import Administration, Instrument, ItemScore, Vote
from practicehub.assessments.services.administrations import results_of
from practicehub.core.services.tables import Table


def administrations_table(user: User, today: datetime.date) -> Table:
    rows = []
    found = Administration.objects.visible_to(user).select_related("instrument", "node", "team")
    for a in found:
        results = results_of(a)
        rows.append([a.administered_on, a.node.name, a.instrument.name, a.instrument.version,
                     a.get_method_display(), a.team.name if a.team else "",
                     results.total.shown if results else None])
    return Table("administrations", "Administrations", ["Date", "Site", "Instrument", "Version",
                                                        "Method", "Team", "Total score"], rows)


def scores_table(user: User, today: datetime.date) -> Table:
    found = ItemScore.objects.filter(
        administration__in=Administration.objects.visible_to(user)).select_related(
        "administration__instrument", "administration__node")
    rows = [[s.administration.administered_on, s.administration.node.name,
             s.administration.instrument.key, s.item, s.value] for s in found]
    return Table("item-scores", "Item scores", ["Date", "Site", "Instrument", "Item", "Score"],
                 rows)


def votes_table(user: User, today: datetime.date) -> Table:
    found = Vote.objects.filter(
        administration__in=Administration.objects.visible_to(user)).select_related(
        "administration__instrument", "administration__node")
    rows = [[v.administration.administered_on, v.administration.node.name,
             v.administration.instrument.key, v.item, v.voter, v.value] for v in found]
    return Table("votes", "Consensus votes", ["Date", "Site", "Instrument", "Item", "Voter",
                                              "Vote"], rows)


def instruments_table(user: User, today: datetime.date) -> Table:
    rows = [[i.key, i.version, i.name, i.spec["scoring"]["method"],
             i.spec["scoring"].get("target"), sum(len(s["items"]) for s in i.spec["sections"])]
            for i in Instrument.objects.all()]
    return Table("instruments", "Instruments", ["Key", "Version", "Name", "Scoring", "Target",
                                                "Items"], rows)


TABLES: dict[str, Callable[[Any, datetime.date], Table]] = {
    "instruments": instruments_table, "administrations": administrations_table,
    "item-scores": scores_table, "votes": votes_table,
}
