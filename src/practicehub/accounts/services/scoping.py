"""Who reaches what. Every query of scoped data goes through these functions.

A role assigned at a node reaches that node's subtree and nothing else. Default is deny: an
anonymous user, or one without assignments, reaches nothing but their own account.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from practicehub.accounts.roles import ROLE_CAPABILITIES, Capability, Role

if TYPE_CHECKING:
    from practicehub.accounts.models import OrgNode, OrgNodeQuerySet, RoleAssignment, UserQuerySet

_CACHE_ATTR = "_practicehub_assignments"


def assignments_of(user: Any) -> list[RoleAssignment]:
    """The user's role assignments, read once per user object (so once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached: list[RoleAssignment] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(user.role_assignments.select_related("node"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_assignments(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: Any) -> set[Role]:
    return {Role(assignment.role) for assignment in assignments_of(user)}


def grants(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES[Role(role)]


def has_capability(user: Any, capability: Capability, node: OrgNode | None = None) -> bool:
    """True when a role of the user grants ``capability`` (at a node containing ``node``)."""
    return any(
        grants(assignment.role, capability)
        and (node is None or assignment.node.contains(node))
        for assignment in assignments_of(user)
    )


def scope_paths(user: Any, capability: Capability | None = None) -> list[str]:
    """Tree paths the user reaches, optionally only through roles granting ``capability``.

    Paths nested inside another path are dropped so the resulting filter stays short.
    """
    paths = sorted(
        {
            assignment.node.path
            for assignment in assignments_of(user)
            if capability is None or grants(assignment.role, capability)
        }
    )
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


def path_filter(paths: list[str], field: str = "path") -> Q:
    """A filter matching rows whose tree path (at ``field``) lies inside any of ``paths``."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": path}) for path in paths))


def visible_nodes(queryset: OrgNodeQuerySet, user: Any) -> OrgNodeQuerySet:
    return queryset.filter(path_filter(scope_paths(user)))


def visible_people(queryset: UserQuerySet, user: Any) -> UserQuerySet:
    """Yourself, plus people holding a role inside a subtree where you may see people."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    paths = scope_paths(user, Capability.PEOPLE_VIEW)
    if not paths:
        return queryset.filter(pk=user.pk)
    in_scope = path_filter(paths, field="role_assignments__node__path")
    return queryset.filter(in_scope | Q(pk=user.pk)).distinct()


def home_nodes(user: Any) -> list[OrgNode]:
    """The top nodes of the user's scope, for "my sites" on the home page."""
    tops = set(scope_paths(user))
    seen: dict[str, OrgNode] = {}
    for assignment in assignments_of(user):
        if assignment.node.path in tops:
            seen[assignment.node.path] = assignment.node
    return [seen[path] for path in sorted(seen)]
