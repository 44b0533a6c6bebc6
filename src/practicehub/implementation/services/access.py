"""Who may change implementation records at a node, and the error services raise on bad input."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from practicehub.accounts.models import NodeKind, OrgNode, User
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.core.errors import Located, Refused


class InvalidInput(Refused):
    """Input refused before anything changed; ``field`` names the field to fix."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}", [Located(message, field=field)])


def require_manage(user: User, node: OrgNode,
                   capability: Capability = Capability.IMPLEMENTATION_MANAGE) -> None:
    """Refuse a change at ``node`` unless a role of the user grants the capability there."""
    if not has_capability(user, capability, node):
        raise PermissionDenied("You may not change implementation records at this site.")


def manageable_nodes(user: User, capability: Capability = Capability.IMPLEMENTATION_MANAGE,
                     ) -> list[OrgNode]:
    """Sites (not units or partner organisations) where the user may record implementation work."""
    kinds = [NodeKind.STATE, NodeKind.REGION, NodeKind.COUNTY, NodeKind.OFFICE]
    return [node for node in OrgNode.objects.visible_to(user).filter(kind__in=kinds)
            if has_capability(user, capability, node)]
