"""The county codes an import accepts here: the configured state's and the organisation tree's
(the data layer alone knows only the state's)."""

from __future__ import annotations

from django.db import DatabaseError
from django.db.models import Q

from practicehub.accounts.models import OrgNode
from practicehub.outcomes.engine.counties import (
    NO_STATE,
    KnownCounties,
    configured_state,
    state_counties,
)


def tree_codes(candidates: frozenset[str]) -> frozenset[str]:
    """The codes among ``candidates`` that a node of the organisation tree has as its ``fips``
    or its ``code``."""
    nodes = OrgNode.objects.filter(Q(fips__in=candidates) | Q(code__in=candidates))
    try:
        found = {code for pair in nodes.values_list("fips", "code") for code in pair}
    except DatabaseError:
        # No application database yet (never migrated): no tree, so only the state's counties
        # pass, which refuses more, never less.
        return frozenset()
    return frozenset(found & candidates)


TREE = KnownCounties(frozenset(), "a code of the organisation tree", tree_codes)


def known_counties() -> KnownCounties:
    """What an import accepts: the configured state's counties and the tree's codes."""
    if configured_state() == NO_STATE:
        return TREE
    return state_counties() | TREE
