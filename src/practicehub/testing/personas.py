"""Persona fixtures shared by every test module: two counties × each role, plus the state.

Fresno (Central region) and Humboldt (Northern region) each get one person per role, placed as
the demo places them, so scoping tests read like the sentences they check.
"""

from __future__ import annotations

from dataclasses import dataclass

from practicehub.accounts.demo import DemoLogin, ensure_person
from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.roles import Role
from practicehub.accounts.services.tree import SHIPPED_TREE, load_tree

PASSWORD = "correct horse battery staple"  # noqa: S105  (synthetic test accounts)


@dataclass(frozen=True)
class CountyPersonas:
    county: OrgNode
    office: OrgNode
    unit: OrgNode
    regional_support: User
    lead: User
    coach: User
    practitioner: User
    evaluator: User
    partner: User


@dataclass(frozen=True)
class Personas:
    state_admin: User
    fresno: CountyPersonas
    humboldt: CountyPersonas


_SITES = {
    "fresno": ("rta-central", "fresno-central", "fresno-central-unit-a",
               "fresno-community-partners"),
    "humboldt": ("rta-northern", "humboldt-eureka", "humboldt-eureka-unit-a",
                 "humboldt-tribal-partners"),
}


def ensure_tree() -> None:
    if not OrgNode.objects.filter(code="ca").exists():
        load_tree(SHIPPED_TREE)


def _person(username: str, role: Role, node_code: str) -> User:
    first, _, last = username.partition("_")
    return ensure_person(DemoLogin(username, first.title(), last.title(), role, node_code),
                         password=PASSWORD)


def _county(county: str) -> CountyPersonas:
    region, office, unit, partner = _SITES[county]
    return CountyPersonas(
        county=OrgNode.objects.get(code=county),
        office=OrgNode.objects.get(code=office),
        unit=OrgNode.objects.get(code=unit),
        regional_support=_person(f"{county}_regional", Role.REGIONAL_SUPPORT, region),
        lead=_person(f"{county}_lead", Role.COUNTY_LEAD, county),
        coach=_person(f"{county}_coach", Role.COACH, office),
        practitioner=_person(f"{county}_worker", Role.PRACTITIONER, unit),
        evaluator=_person(f"{county}_analyst", Role.EVALUATOR, county),
        partner=_person(f"{county}_partner", Role.PARTNER, partner),
    )


def make_personas() -> Personas:
    ensure_tree()
    return Personas(
        state_admin=_person("state_admin", Role.STATE_ADMIN, "ca"),
        fresno=_county("fresno"),
        humboldt=_county("humboldt"),
    )
