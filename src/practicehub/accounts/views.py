"""Sign-in, the organisation tree and people administration. Views check scope, call a service
and render; the permission map (accounts/permissions.py) has already checked capabilities."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from practicehub.accounts.forms import NodeForm, PersonForm, RoleGrantForm, SignInForm
from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.models import OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Capability, Role
from practicehub.accounts.scoping import has_capability
from practicehub.accounts.services import people, tree
from practicehub.accounts.services.tree import build_forest
from practicehub.core.services.listing import Column, list_page


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.OIDC_ENABLED}


sign_in = SignInView.as_view()
sign_out = auth_views.LogoutView.as_view()


def org_tree(request: AuthedRequest) -> HttpResponse:
    nodes = list(OrgNode.objects.visible_to(request.user))
    context = {"forest": build_forest(nodes),
               "can_manage": has_capability(request.user, Capability.ORG_MANAGE)}
    return render(request, "accounts/org_tree.html", context)


def node_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(OrgNode.objects.visible_to(request.user), pk=pk)
    staff = User.objects.visible_to(request.user).filter(role_assignments__node=node).distinct()
    context = {
        "node": node,
        "ancestors": node.ancestors(),
        "children": node.children.all(),
        "staff": staff,
        "can_manage": has_capability(request.user, Capability.ORG_MANAGE, node),
    }
    return render(request, "accounts/node_detail.html", context)


def _node_form_page(request: AuthedRequest, node: OrgNode, heading: str) -> HttpResponse:
    form = NodeForm(request.POST or None, instance=node,
                    parents=tree.parent_choices(request.user),
                    initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        saved = people.save_node(request.user, form.save(commit=False),
                                 list(form.changed_data))
        messages.success(request, f"Saved {saved.name}.")
        return redirect("accounts:node", pk=saved.pk)
    return render(request, "accounts/node_form.html", {"form": form, "heading": heading})


def node_create(request: AuthedRequest) -> HttpResponse:
    return _node_form_page(request, OrgNode(), "Add a site")


def node_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(OrgNode.objects.visible_to(request.user), pk=pk)
    return _node_form_page(request, node, f"Edit {node.name}")


PEOPLE_COLUMNS = [
    Column("name", "Name", "last_name,first_name"),
    Column("username", "User name", "username"),
    Column("roles", "Roles"),
]


def people_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    visible = User.objects.visible_to(request.user)
    found = visible.filter(Q(last_name__icontains=query) | Q(first_name__icontains=query)
                           | Q(username__icontains=query)) if query else visible
    listing = list_page(request, found.prefetch_related("role_assignments__node"),
                        PEOPLE_COLUMNS, default_sort="name")
    if query:
        listing.filtered, listing.total = True, visible.count()
    context = {"listing": listing, "query": query,
               "can_manage": has_capability(request.user, Capability.PEOPLE_MANAGE)}
    template = "accounts/people.html#results" if request.htmx else "accounts/people.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    nodes = people.manageable_nodes(request.user)
    context = {"person": person,
               "assignments": person.role_assignments.select_related("node"),
               "grant_form": RoleGrantForm(nodes=nodes) if nodes else None}
    return render(request, "accounts/person_detail.html", context)


def person_create(request: AuthedRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = people.create_person(request.user, **form.cleaned_data)
        messages.success(request, f"Added {person}. Now give them a role.")
        return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/person_form.html", {"form": form})


@require_POST
def role_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    nodes = people.manageable_nodes(request.user)
    form = RoleGrantForm(request.POST, nodes=nodes)
    if not form.is_valid():
        context = {"person": person, "grant_form": form,
                   "assignments": person.role_assignments.select_related("node")}
        return render(request, "accounts/person_detail.html", context, status=400)
    people.grant_role(request.user, person, Role(form.cleaned_data["role"]),
                      form.cleaned_data["node"])
    messages.success(request, "Role granted.")
    return redirect("accounts:person", pk=person.pk)


@require_POST
def role_revoke(request: AuthedRequest, pk: int, assignment_pk: int) -> HttpResponse:
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_pk, user=person)
    try:
        people.revoke_role(request.user, assignment)
    except people.NotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Role removed.")
    return redirect("accounts:person", pk=person.pk)
