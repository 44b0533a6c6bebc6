"""The demo world: the shipped tree, the shipped practice models and one person per role.

Every step is idempotent, so ``practicehub demo`` can be run again at any time. Later areas add
their own synthetic data here. The demo's accounts share a public password, so the command first
asks ``refusals()`` whether this database may get them (a production one may not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction

from practicehub.accounts.models import OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Role
from practicehub.accounts.services.tree import SHIPPED_TREE, load_tree, parse_tree
from practicehub.core.app_modules import app_modules
from practicehub.practice_model.services import load_shipped_models

DEMO_PASSWORD = "practicehub-demo"  # noqa: S105  (printed on purpose: synthetic demo accounts)
# A reserved top-level domain (RFC 2606): no identity provider or mail server has such addresses.
DEMO_EMAIL_DOMAIN = "demo.practicehub.invalid"
OVERRIDE = "--i-know-this-creates-public-accounts"


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


def _names(usernames: list[str], count: int) -> str:
    return ", ".join(usernames) + (f" and {count - len(usernames)} more" if count > 3 else "")


def _people_not_made_by_the_demo() -> str | None:
    if User._meta.db_table not in connection.introspection.table_names():
        return None  # a new database: nobody in it yet
    with connection.cursor() as cursor:
        columns = {column.name for column in connection.introspection.get_table_description(
            cursor, User._meta.db_table)}
    # A demo database made before the marker existed: its accounts have the demo's addresses.
    others = (User.objects.filter(is_demo_account=False) if "is_demo_account" in columns
              else User.objects.exclude(email__endswith=f"@{DEMO_EMAIL_DOMAIN}"))
    count = others.count()
    if not count:
        return None
    usernames = list(others.order_by("username").values_list("username", flat=True)[:3])
    return (f"the database holds {count} account{'s' if count != 1 else ''} the demo did not "
            f"create ({_names(usernames, count)})")


def _places_not_in_the_shipped_tree() -> str | None:
    if OrgNode._meta.db_table not in connection.introspection.table_names():
        return None
    shipped = {spec.code for spec in parse_tree(SHIPPED_TREE.read_text(encoding="utf-8"),
                                                 SHIPPED_TREE.name)}
    others = OrgNode.objects.exclude(code__in=shipped)
    count = others.count()
    if not count:
        return None
    codes = list(others.order_by("code").values_list("code", flat=True)[:3])
    return (f"its organisation tree has {count} place{'s' if count != 1 else ''} the demo's tree "
            f"does not ({_names(codes, count)}), which the demo would rename or leave beside "
            "its own")


def refusals(debug: bool) -> list[str]:
    """Why the demo must not run here: it would add accounts with the public password (a state
    administrator among them) to a database that is not a demo's. Empty when it may."""
    reasons = [reason for reason in (_people_not_made_by_the_demo(),
                                     _places_not_in_the_shipped_tree()) if reason]
    if not debug:
        reasons.append("DEBUG is off, as on a production server (a demo installation runs with "
                       "DEBUG=true)")
    return reasons


def refusal_message(reasons: list[str]) -> str:
    because = "; ".join(reasons)
    return (f"practicehub demo refused: {because}. The demo creates {len(DEMO_LOGINS)} accounts "
            f"and their staff with the public password “{DEMO_PASSWORD}”, a state administrator "
            "among them; nothing was changed. Build the demo in a data folder and database of "
            f"its own (scripts/demo does), or pass {OVERRIDE} if this database really is "
            "meant to hold them.")


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


def _app_demo_loaders() -> list[Callable[[Callable[[str], None]], None]]:
    """Each app may ship ``<app>/demo.py`` with ``load_demo(progress)``; run in app order."""
    return [module.load_demo for config, module in app_modules("demo") if config.label != "core"]


def build_demo(progress: Callable[[str], None] = print) -> list[DemoLogin]:
    progress("Migrating the database …")
    call_command("migrate", interactive=False, verbosity=0)
    progress("Loading the organisation tree …")
    load_tree(SHIPPED_TREE)
    progress("Loading the practice models …")
    load_shipped_models()
    staff = synthetic_staff()
    progress(f"Creating demo people ({len(DEMO_LOGINS) + len(staff)}) …")
    # One hash for everyone: a slow password hash per person made this step take a minute.
    password_hash = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        for login in (*DEMO_LOGINS, *staff):
            ensure_person(login, password_hash=password_hash)
    for load_demo in _app_demo_loaders():
        load_demo(progress)
    return list(DEMO_LOGINS)
