"""The demo world: every area's ``<app>/demo.py`` ``load_demo(progress)``, run in app order
(accounts: the shipped tree and one person per role; practice_model: the shipped models; then
fidelity, outcomes, implementation, assessments).

Every step is idempotent, so ``practicehub demo`` can be run again at any time. The demo's
accounts share a public password, so the command first asks ``refusals()`` whether this database
may get them (a production one may not).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.management import call_command
from django.db import connection

from practicehub.accounts.demo import DEMO_EMAIL_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD, DemoLogin
from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.services.tree import SHIPPED_TREE, parse_tree
from practicehub.core.app_modules import app_modules

OVERRIDE = "--i-know-this-creates-public-accounts"


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


def build_demo(progress: Callable[[str], None] = print) -> list[DemoLogin]:
    progress("Migrating the database …")
    call_command("migrate", interactive=False, verbosity=0)
    for _config, module in app_modules("demo"):
        module.load_demo(progress)
    return list(DEMO_LOGINS)
