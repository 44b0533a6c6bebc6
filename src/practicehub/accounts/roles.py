"""Roles, the capabilities each role grants, and the rules that guard URLs.

A role is assigned at a node of the organisation tree and reaches that node's subtree. A capability
answers "may this kind of user do this kind of thing at all"; whether a given record is reachable is
decided by scoping (``visible_to``), which answers 404 outside scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from django.http import HttpRequest


class Role(models.TextChoices):
    STATE_ADMIN = "state_admin", "State administrator / core team"
    REGIONAL_SUPPORT = "regional_support", "Regional implementation support"
    COUNTY_LEAD = "county_lead", "County implementation lead"
    COACH = "coach", "Coach / supervisor"
    PRACTITIONER = "practitioner", "Practitioner (social worker)"
    EVALUATOR = "evaluator", "Evaluator / analyst"
    PARTNER = "partner", "Community or Tribal partner"


class Capability(models.TextChoices):
    MODEL_CHANGE = "model.change", "Configure practice models"
    ORG_MANAGE = "org.manage", "Manage the organisation tree"
    PEOPLE_MANAGE = "people.manage", "Manage people and role assignments"
    PEOPLE_VIEW = "people.view", "See people in scope"
    AUDIT_VIEW = "audit.view", "Browse the audit log"
    OUTCOMES_UNSUPPRESSED = "outcomes.unsuppressed", "See unsuppressed outcome tables"
    IMPLEMENTATION_MANAGE = "implementation.manage", "Manage teams, plans, stages and support logs"
    ASSESSMENTS_ADMINISTER = "assessments.administer", "Administer and score assessments"
    FIDELITY_OBSERVE = "fidelity.observe", "Record observations and coach workers"
    FIDELITY_PEOPLE = "fidelity.people", "See workers' fidelity ratings and coaching in scope"
    FIDELITY_RECORDS = "fidelity.records", "Open person-level fidelity pages (own or in scope)"
    FIDELITY_AMEND = "fidelity.amend", "Amend any submitted observation in scope"
    FIDELITY_CONFIGURE = "fidelity.configure", "Configure observation tools"


ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.STATE_ADMIN: frozenset(Capability),
    Role.REGIONAL_SUPPORT: frozenset({Capability.PEOPLE_VIEW, Capability.IMPLEMENTATION_MANAGE,
                                      Capability.ASSESSMENTS_ADMINISTER}),
    Role.COUNTY_LEAD: frozenset({Capability.PEOPLE_VIEW, Capability.FIDELITY_OBSERVE,
                                 Capability.FIDELITY_PEOPLE, Capability.IMPLEMENTATION_MANAGE,
                                 Capability.ASSESSMENTS_ADMINISTER, Capability.FIDELITY_RECORDS,
                                 Capability.FIDELITY_AMEND}),
    Role.COACH: frozenset({Capability.PEOPLE_VIEW, Capability.FIDELITY_OBSERVE,
                           Capability.FIDELITY_PEOPLE, Capability.FIDELITY_RECORDS}),
    Role.PRACTITIONER: frozenset({Capability.FIDELITY_RECORDS}),
    Role.EVALUATOR: frozenset({Capability.OUTCOMES_UNSUPPRESSED}),
    Role.PARTNER: frozenset(),
}


@dataclass(frozen=True)
class PersonLevel:
    """Marks a URL that returns person-level data (a worker's ratings, a coaching plan, a person).

    The audit middleware records one ``view`` per successful read and one ``export`` per download
    of such a URL, so no view has to remember to. ``record`` is the model label of the record the
    URL's ``pk`` names (the event points at it); ``subject`` the field of that record naming the
    person it is about, so reading your own record is not recorded; ``when`` limits the marking
    to requests that show people (a dashboard broken down by worker).
    """

    record: str = ""
    subject: str = ""
    when: Callable[[HttpRequest], bool] | None = None


@dataclass(frozen=True)
class Rule:
    """What a URL demands of the request before its view runs.

    ``public``: anyone, signed in or not. Otherwise the user must be signed in and, when
    ``capability`` is set, hold it through at least one role assignment; requests that change
    data (POST, PUT, PATCH, DELETE) must also hold ``writes`` when it is set. ``person_level``
    marks URLs whose reads are audited (see ``PersonLevel``).
    """

    name: str
    public: bool = False
    capability: Capability | None = None
    writes: Capability | None = None
    person_level: PersonLevel | None = None


PUBLIC = Rule("public", public=True)
SIGNED_IN = Rule("signed in")


def requires(capability: Capability, *, writes: Capability | None = None) -> Rule:
    name = f"requires {capability.value}" + (f", writes {writes.value}" if writes else "")
    return Rule(name, capability=capability, writes=writes)


def person_level(rule: Rule, *, record: str = "", subject: str = "",
                 when: Callable[[HttpRequest], bool] | None = None) -> Rule:
    """``rule`` for a URL returning person-level data: its reads and downloads are audited."""
    return replace(rule, person_level=PersonLevel(record=record, subject=subject, when=when))
