"""Who reaches which fidelity records.

Ratings of a worker reach the worker, the person who observed them, and people whose
``fidelity.people`` role sits at a node containing the worker's unit (their coaching and
supervision chain: ``ObservationQuerySet.visible_to``). Everyone else, partners included, gets
aggregates only (``services/dashboards.py``), where groups of fewer than ``SMALL_GROUP`` workers
are hidden.
"""

from __future__ import annotations

from django.db.models import QuerySet

from practicehub.accounts.models import NodeKind, OrgNode, User, Visitor
from practicehub.accounts.roles import Capability, Role
from practicehub.accounts.scoping import (
    assignments_of,
    has_capability,
    outermost,
    path_filter,
    scope_paths,
)

SMALL_GROUP = 5


def people_paths(user: Visitor) -> list[str]:
    """Subtrees where the user sees workers' own ratings (their ``fidelity.people`` roles)."""
    return scope_paths(user, Capability.FIDELITY_PEOPLE)


def sees_people_at(user: Visitor, node: OrgNode) -> bool:
    return has_capability(user, Capability.FIDELITY_PEOPLE, node)


def hides_records(user: Visitor) -> bool:
    """Whether the pages hide links to person-level records (the user opens none of them)."""
    return not has_capability(user, Capability.FIDELITY_RECORDS)


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


AGGREGATE_KINDS = (NodeKind.UNIT, NodeKind.OFFICE, NodeKind.COUNTY, NodeKind.REGION,
                   NodeKind.STATE)


def aggregate_places(user: Visitor) -> QuerySet[OrgNode]:
    """The places whose dashboards and rater agreement the user may open: units, offices,
    counties, regions and the state inside ``aggregate_paths``."""
    return (OrgNode.objects.filter(path_filter(aggregate_paths(user)))
            .filter(kind__in=AGGREGATE_KINDS))


def observable_workers(user: Visitor) -> QuerySet[User]:
    """Whom ``user`` may observe and coach: the practitioners with a role inside the subtrees of
    the user's ``fidelity.observe`` roles. The observation and coaching forms offer these, and
    the API finds the observed worker among them (anyone else answers 404 there)."""
    inside = path_filter(scope_paths(user, Capability.FIDELITY_OBSERVE),
                         field="role_assignments__node__path")
    return (User.objects.filter(inside, role_assignments__role=Role.PRACTITIONER)
            .distinct().order_by("last_name", "first_name"))


def may_coach(user: Visitor, person_id: int, node: OrgNode) -> bool:
    """Whether ``user`` coaches the person (``person_id``) whose unit is ``node``: a
    ``fidelity.observe`` role at a node containing it, and someone other than the person."""
    return person_id != user.pk and has_capability(user, Capability.FIDELITY_OBSERVE, node)
