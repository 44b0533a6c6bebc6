"""Creating people and changing their roles: every change is audited and scoped to the actor."""

from __future__ import annotations

from django.db import transaction

from practicehub.accounts.models import OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Capability, Role
from practicehub.accounts.scoping import forget_assignments, has_capability
from practicehub.accounts.services.tree import CycleRefused
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event


class NotAllowed(PermissionError):
    """The actor's roles do not reach the node the change concerns."""


def manageable_nodes(actor: User) -> list[OrgNode]:
    """Nodes where ``actor`` may grant roles: the subtrees of their people.manage roles."""
    return [node for node in OrgNode.objects.visible_to(actor)
            if has_capability(actor, Capability.PEOPLE_MANAGE, node)]


def create_person(actor: User, *, username: str, first_name: str, last_name: str, email: str,
                  password: str) -> User:
    with transaction.atomic():
        person = User.objects.create_user(username=username, email=email, password=password,
                                          first_name=first_name, last_name=last_name)
        record_event(Action.CREATE, obj=person, actor=actor,
                     fields=["username", "first_name", "last_name", "email", "password"])
    return person


def grant_role(actor: User, person: User, role: Role, node: OrgNode) -> RoleAssignment:
    if not has_capability(actor, Capability.PEOPLE_MANAGE, node):
        raise NotAllowed(f"You cannot assign roles at {node}.")
    with transaction.atomic():
        assignment, _ = RoleAssignment.objects.get_or_create(
            user=person, role=role, node=node, defaults={"granted_by": actor}
        )
        record_event(Action.ROLE_GRANT, obj=person, actor=actor, node=node, fields=["role"])
    forget_assignments(person)
    return assignment


def revoke_role(actor: User, assignment: RoleAssignment) -> None:
    if not has_capability(actor, Capability.PEOPLE_MANAGE, assignment.node):
        raise NotAllowed(f"You cannot change roles at {assignment.node}.")
    with transaction.atomic():
        record_event(Action.ROLE_REVOKE, obj=assignment.user, actor=actor, node=assignment.node,
                     fields=["role"])
        assignment.delete()
    forget_assignments(assignment.user)


def save_node(actor: User, node: OrgNode, changed: list[str]) -> OrgNode:
    """Create or update a tree node; a moved node carries its subtree's paths along."""
    if node.parent is None or not has_capability(actor, Capability.ORG_MANAGE, node.parent):
        raise NotAllowed("Nodes can only be placed under a node you manage.")
    created = node.pk is None
    with transaction.atomic():
        old_path = "" if created else OrgNode.objects.get(pk=node.pk).path
        # Checked against the stored path: the node's own may already be recomputed.
        if old_path and node.parent.path.startswith(old_path):
            raise CycleRefused
        node.save()
        if old_path and old_path != node.path:
            for descendant in OrgNode.objects.filter(path__startswith=old_path).order_by("depth"):
                descendant.save()
        record_event(Action.CREATE if created else Action.UPDATE, obj=node, actor=actor,
                     fields=changed)
    return node
