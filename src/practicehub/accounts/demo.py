"""The demo's people: one login per role and synthetic staff at the seed sites, in the shipped
organisation tree. ``load_demo`` (run by ``practicehub demo``, site/services/demo.py) loads the tree
and the people; other areas' demos read ``STAFF_SITES`` and make their people with
``ensure_person``. Every step is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from practicehub.accounts.models import OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Role
from practicehub.accounts.services.tree import SHIPPED_TREE, load_tree

DEMO_PASSWORD = "practicehub-demo"  # noqa: S105  (printed on purpose: synthetic demo accounts)
# A reserved top-level domain (RFC 2606): no identity provider or mail server has such addresses.
DEMO_EMAIL_DOMAIN = "demo.practicehub.invalid"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    first_name: str
    last_name: str
    role: Role
    node_code: str


DEMO_LOGINS = (
    DemoLogin("state.admin", "Sam", "Okafor", Role.STATE_ADMIN, "ca"),
    DemoLogin("central.support", "Rita", "Montoya", Role.REGIONAL_SUPPORT, "rta-central"),
    DemoLogin("fresno.lead", "Dana", "Whitfield", Role.COUNTY_LEAD, "fresno"),
    DemoLogin("fresno.coach", "Marcus", "Bell", Role.COACH, "fresno-central"),
    DemoLogin("fresno.worker", "Ana", "Reyes", Role.PRACTITIONER, "fresno-central-unit-a"),
    DemoLogin("fresno.analyst", "Lee", "Nguyen", Role.EVALUATOR, "fresno"),
    DemoLogin("fresno.partner", "Joyce", "Freeman", Role.PARTNER, "fresno-community-partners"),
)

# Synthetic staff so that lists, trees and (later) fidelity pages have people in them.
_FIRST = ["Alex", "Bea", "Carlos", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivan", "June", "Kai",
          "Luz", "Mo", "Nia", "Omar", "Pia"]
_LAST = ["Adams", "Baca", "Chen", "Diaz", "Evans", "Flores", "Garcia", "Hill", "Ito", "Jones",
         "Khan", "Lopez", "Moss", "Nava", "Ortiz", "Park"]
STAFF_SITES = {"fresno": "fr", "humboldt": "hu", "santa-clara": "sc", "los-angeles": "la",
               "sacramento": "sa"}


def ensure_person(login: DemoLogin, password: str = DEMO_PASSWORD,
                  password_hash: str | None = None) -> User:
    """The person with their role; ``password_hash`` (of ``password``) saves hashing it again."""
    user, created = User.objects.get_or_create(
        username=login.username,
        defaults={"first_name": login.first_name, "last_name": login.last_name,
                  "email": f"{login.username}@{DEMO_EMAIL_DOMAIN}", "is_demo_account": True},
    )
    if created:
        user.password = password_hash or make_password(password)
        user.save(update_fields=["password"])
    node = OrgNode.objects.get(code=login.node_code)
    RoleAssignment.objects.get_or_create(user=user, role=login.role, node=node)
    return user


def synthetic_staff() -> list[DemoLogin]:
    """A coach per office and four practitioners per unit at the seed sites, named by pattern."""
    people: list[DemoLogin] = []
    index = 0
    for county, prefix in STAFF_SITES.items():
        for node in OrgNode.objects.get(code=county).subtree().filter(kind__in=["office", "unit"]):
            count, role = (1, Role.COACH) if node.kind == "office" else (4, Role.PRACTITIONER)
            for n in range(count):
                first, last = _FIRST[index % 16], _LAST[(index * 7) % 16]
                username = f"{prefix}.{role.value[:5]}.{node.code[-12:]}.{n + 1}".replace("-", "")
                people.append(DemoLogin(username, first, last, role, node.code))
                index += 1
    return people


def load_demo(progress: Callable[[str], None]) -> None:
    progress("Loading the organisation tree …")
    load_tree(SHIPPED_TREE)
    staff = synthetic_staff()
    progress(f"Creating demo people ({len(DEMO_LOGINS) + len(staff)}) …")
    # One hash for everyone: a slow password hash per person made this step take a minute.
    password_hash = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        for login in (*DEMO_LOGINS, *staff):
            ensure_person(login, password_hash=password_hash)
