"""Paired observations as rating pairs, and their agreement per behavior, overall and per pair
of observers (an observer team's calibration check)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from practicehub.accounts.models import OrgNode, User
from practicehub.fidelity.models import Mark, ObservationTool, Rating, Status
from practicehub.fidelity.services.agreement import Agreement, Pair, agreement


@dataclass(frozen=True)
class AgreementRow:
    label: str
    result: Agreement


@dataclass(frozen=True)
class Reliability:
    overall: Agreement
    by_behavior: list[AgreementRow]
    by_observers: list[AgreementRow]


def rating_pairs(tool: ObservationTool, node: OrgNode) -> list[tuple[str, int, int, int, int]]:
    """(behavior code, first observer id, second observer id, first point, second point) for
    every behavior both observers of a session rated."""
    first_score = Rating.objects.filter(
        observation=OuterRef("observation__paired_with"), behavior=OuterRef("behavior"),
        mark=Mark.RATED).values("score")[:1]
    rows = (Rating.objects.filter(
                observation__tool=tool, observation__paired_with__isnull=False,
                observation__status=Status.SUBMITTED,
                observation__paired_with__status=Status.SUBMITTED, mark=Mark.RATED,
                observation__node__path__startswith=node.path)
            .annotate(first=Subquery(first_score)).exclude(first__isnull=True)
            .values_list("behavior__code", "observation__paired_with__observer_id",
                         "observation__observer_id", "first", "score"))
    return [(code, a, b, int(first), int(second or 0)) for code, a, b, first, second in rows]


def reliability(tool: ObservationTool, node: OrgNode) -> Reliability:
    points = tool.scale_def.values
    rows = rating_pairs(tool, node)
    behaviors: dict[str, list[Pair]] = {}
    teams: dict[tuple[int, int], list[Pair]] = {}
    for code, first_observer, second_observer, first, second in rows:
        behaviors.setdefault(code, []).append((first, second))
        team = (min(first_observer, second_observer), max(first_observer, second_observer))
        teams.setdefault(team, []).append((first, second))
    order = list(tool.behaviors.order_by("order").values_list("code", flat=True))
    names = {user.pk: str(user) for user in User.objects.filter(
        pk__in={person for team in teams for person in team})}
    return Reliability(
        overall=agreement([(first, second) for *_, first, second in rows], points),
        by_behavior=[AgreementRow(code, agreement(behaviors[code], points))
                     for code in order if code in behaviors],
        by_observers=sorted((AgreementRow(f"{names[a]} and {names[b]}", agreement(pairs, points))
                             for (a, b), pairs in teams.items()), key=lambda row: row.label),
    )
