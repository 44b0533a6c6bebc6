"""The main navigation: which areas a user sees, decided by the same capabilities as the URLs."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from practicehub.accounts.models import Visitor
from practicehub.accounts.permissions import url_permissions
from practicehub.accounts.scoping import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str

    def href(self) -> str:
        return reverse(self.url_name)


MAIN_NAV = (
    NavItem("Home", "core:home"),
    NavItem("Practice models", "practice_model:index"),
    NavItem("Fidelity", "fidelity:dashboard"),
    NavItem("Implementation", "implementation:index"),
    NavItem("Assessments", "assessments:index"),
    NavItem("Outcomes", "outcomes:dashboard"),
    NavItem("Organisation", "accounts:org_tree"),
    NavItem("People", "accounts:people"),
    NavItem("Audit log", "audit:events"),
)


def may_open(user: Visitor, url_name: str) -> bool:
    rule = url_permissions().get(url_name)
    if rule is None:
        return False
    if rule.public:
        return True
    if not user.is_authenticated:
        return False
    return rule.capability is None or has_capability(user, rule.capability)


def nav_for(user: Visitor) -> list[NavItem]:
    return [item for item in MAIN_NAV if may_open(user, item.url_name)]
