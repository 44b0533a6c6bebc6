"""Whether a page links to the implementation-support profile: only for those it opens for."""

from __future__ import annotations

from django import template

from practicehub.accounts.models import Visitor
from practicehub.fidelity.services.profile_access import visible_teams

register = template.Library()


@register.filter
def sees_support_profile(user: Visitor) -> bool:
    """Members of a support team, state administrators and the state core team."""
    return visible_teams(user).exists()
