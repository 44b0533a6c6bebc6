"""API: who am I, and the part of the organisation tree I reach."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.scoping import assignments_of
from practicehub.api.errors import answers

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    node_code: str
    node_name: str


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[RoleOut]


class NodeOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
    fips: str


@router.get("/me", response=answers(MeOut, takes_input=False), url_name="accounts_me")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    assert isinstance(user, User)  # the permission map has refused anonymous callers
    roles = [RoleOut(role=a.role, node_code=a.node.code, node_name=a.node.name)
             for a in assignments_of(user)]
    return MeOut(username=user.get_username(), full_name=user.get_full_name(), roles=roles)


@router.get("/nodes", response=answers(list[NodeOut], takes_input=False), url_name="accounts_nodes")
def nodes(request: HttpRequest) -> list[NodeOut]:
    visible = OrgNode.objects.visible_to(request.user).select_related("parent")
    return [NodeOut(code=n.code, name=n.name, kind=n.kind, fips=n.fips,
                    parent_code=n.parent.code if n.parent else None) for n in visible]
