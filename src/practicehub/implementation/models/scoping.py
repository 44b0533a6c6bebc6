"""The scoping queryset shared by every implementation record that carries a ``node``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from practicehub.accounts.services.scoping import assignments_of, path_filter, scope_paths


def scope_q(user: Any, node_field: str = "node") -> Q:
    """Rows whose node lies inside the user's scope (subtree of any role assignment)."""
    return path_filter(scope_paths(user), field=f"{node_field}__path")


def above_q(user: Any, node_field: str = "node") -> Q:
    """Rows at the sites above the user's own (an office coach sees where the county stands)."""
    paths = {assignment.node.path for assignment in assignments_of(user)}
    above = {path[: index + 1] for path in paths for index, char in enumerate(path[:-1])
             if char == "/" and index > 0}
    field = f"{node_field}__path__in" if node_field else "path__in"
    return Q(**{field: sorted(above)}) if above else Q(pk__in=[])


def membership_q(user: Any, team_field: str) -> Q:
    """Rows of teams the user sits on: partners reach their own teams' work, nothing else."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    prefix = f"{team_field}__" if team_field else ""
    return Q(**{f"{prefix}members__user": user})


class NodeScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """``visible_to(user)``: records at nodes in the user's scope."""

    node_field = "node"

    def visible_to(self, user: Any) -> NodeScopedQuerySet[M]:
        return self.filter(scope_q(user, self.node_field))
