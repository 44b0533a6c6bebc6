"""Users, the organisation tree and role assignments: the facts every access decision rests on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, AnonymousUser, UserManager
from django.db import models
from django.db.models import Q

from practicehub.accounts.roles import Capability, Role
from practicehub.accounts.scoping import NodeScopedQuerySet, path_filter, scope_paths


class NodeKind(models.TextChoices):
    STATE = "state", "State"
    REGION = "region", "Region"
    COUNTY = "county", "County"
    OFFICE = "office", "Office"
    UNIT = "unit", "Unit"
    PARTNER = "partner", "Partner organisation"


class PartnerKind(models.TextChoices):
    NONE = "", "—"
    UNIVERSITY = "university", "University institute"
    TRIBE = "tribe", "Tribe"
    COMMUNITY = "community", "Community organisation"
    NONPROFIT = "nonprofit", "Nonprofit or association"


class OrgNodeQuerySet(NodeScopedQuerySet["OrgNode"]):
    node_field = ""


class OrgNode(models.Model):
    """One node of the tree state → region → county → office → unit (partners hang anywhere).

    ``path`` is the chain of ancestor codes ("/ca/rta-central/06019/"), so a subtree is one
    indexed prefix match instead of a recursive query.
    """

    code = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=NodeKind.choices)
    partner_kind = models.CharField(
        max_length=16, choices=PartnerKind.choices, blank=True, default=PartnerKind.NONE
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    fips = models.CharField(max_length=5, blank=True, help_text="County FIPS code, e.g. 06019")
    path = models.CharField(max_length=1000, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = OrgNodeQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["fips"], condition=~models.Q(fips=""), name="orgnode_unique_fips"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = self.computed_path()
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)

    def computed_path(self) -> str:
        prefix = self.parent.path if self.parent else "/"
        return f"{prefix}{self.code}/"

    def subtree(self) -> OrgNodeQuerySet:
        return OrgNode.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[OrgNode]:
        codes = [code for code in self.path.strip("/").split("/")][:-1]
        by_code = {node.code: node for node in OrgNode.objects.filter(code__in=codes)}
        return [by_code[code] for code in codes if code in by_code]

    def contains(self, other: OrgNode) -> bool:
        return other.path.startswith(self.path)


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: Visitor | None) -> UserQuerySet:
        """Yourself, plus people holding a role inside a subtree where you may see people."""
        if user is None or not user.is_authenticated:
            return self.none()
        paths = scope_paths(user, Capability.PEOPLE_VIEW)
        if not paths:
            return self.filter(pk=user.pk)
        in_scope = path_filter(paths, field="role_assignments__node__path")
        return self.filter(in_scope | Q(pk=user.pk)).distinct()


class PersonManager(UserManager["User"]):
    """Django's user manager with the scoping queryset, so ``User.objects.visible_to`` works."""

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def visible_to(self, user: Visitor | None) -> UserQuerySet:
        return self.get_queryset().visible_to(user)


class User(AbstractUser):
    """A person who signs in. Roles come only from ``RoleAssignment``, never ``is_superuser``."""

    failed_sign_ins = models.PositiveSmallIntegerField(default=0)
    first_failed_sign_in_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Made by `practicehub demo`, with its public password; the people list tags it.
    is_demo_account = models.BooleanField(default=False)

    objects = PersonManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


# Who asks for scoped records: a signed-in user, or an anonymous visitor, who reaches nothing.
type Visitor = User | AnonymousUser


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=32, choices=Role.choices)
    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="role_assignments")
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["node__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "node"], name="unique_role_at_node"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} at {self.node}"


class ApiToken(models.Model):
    """A personal token for scripts calling the JSON API; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, help_text="First characters, to recognise a token.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
