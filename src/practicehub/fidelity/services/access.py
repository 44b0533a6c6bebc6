"""Who reaches which fidelity records.

Ratings of a worker reach the worker, the person who observed them, and people whose
``fidelity.people`` role sits at a node containing the worker's unit (their coaching and
supervision chain). Everyone else, partners included, gets aggregates only
(``services/dashboards.py``), where groups of fewer than ``SMALL_GROUP`` workers are hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from practicehub.accounts.models import NodeKind, OrgNode
from practicehub.accounts.roles import Capability
from practicehub.accounts.services.scoping import (
    assignments_of,
    has_capability,
    path_filter,
    scope_paths,
)

if TYPE_CHECKING:
    from practicehub.fidelity.models import ObservationQuerySet, PlanQuerySet

SMALL_GROUP = 5


def people_paths(user: Any) -> list[str]:
    return scope_paths(user, Capability.FIDELITY_PEOPLE)


def visible_observations(queryset: ObservationQuerySet, user: Any) -> ObservationQuerySet:
    if user is None or not user.is_authenticated:
        return queryset.none()
    chain = path_filter(people_paths(user), field="node__path")
    return queryset.filter(chain | Q(worker=user) | Q(observer=user))


def visible_plans(queryset: PlanQuerySet, user: Any) -> PlanQuerySet:
    if user is None or not user.is_authenticated:
        return queryset.none()
    chain = path_filter(people_paths(user), field="node__path")
    return queryset.filter(chain | Q(person=user) | Q(coach=user))


def sees_people_at(user: Any, node: OrgNode) -> bool:
    return has_capability(user, Capability.FIDELITY_PEOPLE, node)


def aggregate_paths(user: Any) -> list[str]:
    """Subtrees whose aggregates the user may see: their scope, and for a partner organisation
    the site it is invited to (its parent), since partners sit on that site's observer teams."""
    paths = set(scope_paths(user))
    for assignment in assignments_of(user):
        node = assignment.node
        if node.kind == NodeKind.PARTNER and node.parent_id is not None:
            parent = OrgNode.objects.get(pk=node.parent_id)
            paths.add(parent.path)
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept
