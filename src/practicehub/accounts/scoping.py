"""Who reaches what. Every query of scoped data goes through these functions and querysets.

A role assigned at a node reaches that node's subtree and nothing else. Default is deny: an
anonymous user, or one without assignments, reaches nothing but their own account.

This module sits below the models (it reads them only for types), so every scoped model's
queryset can use it without importing a service.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q

from practicehub.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from practicehub.core.models import ImportJob

if TYPE_CHECKING:
    from practicehub.accounts.models import OrgNode, RoleAssignment, Visitor

_CACHE_ATTR = "_practicehub_assignments"


def assignments_of(user: Visitor | None) -> list[RoleAssignment]:
    """The user's role assignments, read once per user object (so once per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached: list[RoleAssignment] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(user.role_assignments.select_related("node"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_assignments(user: Visitor) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: Visitor | None) -> set[Role]:
    return {Role(assignment.role) for assignment in assignments_of(user)}


def grants(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES[Role(role)]


def has_capability(user: Visitor | None, capability: Capability,
                   node: OrgNode | None = None) -> bool:
    """True when a role of the user grants ``capability`` (at a node containing ``node``)."""
    return any(
        grants(assignment.role, capability)
        and (node is None or assignment.node.contains(node))
        for assignment in assignments_of(user)
    )


def outermost(paths: set[str] | list[str]) -> list[str]:
    """The paths not nested inside another of them, so a filter over them stays short."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


def scope_paths(user: Visitor | None, capability: Capability | None = None) -> list[str]:
    """Tree paths the user reaches, optionally only through roles granting ``capability``."""
    return outermost({
        assignment.node.path
        for assignment in assignments_of(user)
        if capability is None or grants(assignment.role, capability)
    })


def path_filter(paths: list[str], field: str = "path") -> Q:
    """A filter matching rows whose tree path (at ``field``) lies inside any of ``paths``."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field}__startswith": path}) for path in paths))


def scope_q(user: Visitor | None, node_field: str = "node",
            capability: Capability | None = None) -> Q:
    """Rows whose node lies inside the user's scope (optionally only through roles granting
    ``capability``); ``node_field`` "" means the rows are nodes."""
    field = f"{node_field}__path" if node_field else "path"
    return path_filter(scope_paths(user, capability), field=field)


def above_q(user: Visitor | None, node_field: str = "node") -> Q:
    """Rows at the sites above the user's own (an office coach sees where the county stands)."""
    paths = {assignment.node.path for assignment in assignments_of(user)}
    above = {path[: index + 1] for path in paths for index, char in enumerate(path[:-1])
             if char == "/" and index > 0}
    field = f"{node_field}__path__in" if node_field else "path__in"
    return Q(**{field: sorted(above)}) if above else Q(pk__in=[])


def membership_q(user: Visitor | None, team_field: str) -> Q:
    """Rows of teams the user sits on: partners reach their own teams' work, nothing else."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    prefix = f"{team_field}__" if team_field else ""
    return Q(**{f"{prefix}members__user": user})


class NodeScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """``visible_to(user)``: records at nodes in the user's scope, the one scoping queryset.

    A model says where its node is (``node_field``, "" when the records are nodes), which roles
    reach it (``capability``, default any), whether team members reach their team's records
    (``member_field``: the team, "" when the records are teams), whether the sites above one's
    own are seen (``reaches_above``) and what else the user reaches (``also_visible``).
    Anonymous users reach nothing.
    """

    node_field = "node"
    capability: Capability | None = None
    member_field: str | None = None
    reaches_above = False

    def also_visible(self, user: Visitor) -> Q:
        return Q(pk__in=[])

    def visible_to(self, user: Visitor | None) -> Self:
        if user is None or not user.is_authenticated:
            return self.none()
        reach = scope_q(user, self.node_field, self.capability) | self.also_visible(user)
        if self.reaches_above:
            reach |= above_q(user, self.node_field)
        if self.member_field is None:
            return self.filter(reach)
        return self.filter(reach | membership_q(user, self.member_field)).distinct()


def home_nodes(user: Visitor | None) -> list[OrgNode]:
    """The top nodes of the user's scope, for "my sites" on the home page."""
    tops = set(scope_paths(user))
    seen: dict[str, OrgNode] = {}
    for assignment in assignments_of(user):
        if assignment.node.path in tops:
            seen[assignment.node.path] = assignment.node
    return [seen[path] for path in sorted(seen)]


def jobs_visible_to(user: Visitor | None) -> models.QuerySet[ImportJob]:
    """Background import jobs (core's ``ImportJob``): the submitter's own; a state administrator
    sees every job. Anonymous users see none."""
    if user is None or not user.is_authenticated:
        return ImportJob.objects.none()
    if Role.STATE_ADMIN in roles_of(user):
        return ImportJob.objects.all()
    return ImportJob.objects.filter(submitted_by=user)
