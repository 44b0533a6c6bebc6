"""Who reaches which fidelity records.

Ratings of a worker reach the worker, the person who observed them, and people whose
``fidelity.people`` role sits at a node containing the worker's unit (their coaching and
supervision chain: ``ObservationQuerySet.visible_to``). Everyone else, partners included, gets
aggregates only (``services/dashboards.py``), where groups of fewer than ``SMALL_GROUP`` workers
are hidden.
"""

from __future__ import annotations

from practicehub.accounts.models import NodeKind, OrgNode, Visitor
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import assignments_of, has_capability, outermost, scope_paths

SMALL_GROUP = 5


def people_paths(user: Visitor) -> list[str]:
    """Subtrees where the user sees workers' own ratings (their ``fidelity.people`` roles)."""
    return scope_paths(user, Capability.FIDELITY_PEOPLE)


def sees_people_at(user: Visitor, node: OrgNode) -> bool:
    return has_capability(user, Capability.FIDELITY_PEOPLE, node)


def aggregate_paths(user: Visitor) -> list[str]:
    """Subtrees whose aggregates the user may see: their scope, and for a partner organisation
    the site it is invited to (its parent), since partners sit on that site's observer teams."""
    paths = set(scope_paths(user))
    for assignment in assignments_of(user):
        node = assignment.node
        if node.kind == NodeKind.PARTNER and node.parent_id is not None:
            parent = OrgNode.objects.get(pk=node.parent_id)
            paths.add(parent.path)
    return outermost(paths)
