from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practicehub.accounts.models import ApiToken, User
from practicehub.accounts.services.tokens import issue_token, revoke_token


class Command(BaseCommand):
    help = "Issue, list or revoke personal API tokens (docs/api.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Issue a token; it is printed once.")
        create.add_argument("username")
        create.add_argument("--name", default="script")
        listing = sub.add_parser("list", help="List a person's tokens.")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("username")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No person with user name {options['username']!r}.")
        if options["action"] == "create":
            _, raw = issue_token(user, options["name"])
            self.stdout.write(raw)
        elif options["action"] == "list":
            for token in user.api_tokens.all():
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}  {token.name}  {state}  "
                                  f"last used {token.last_used_at or 'never'}")
        else:
            found = ApiToken.objects.filter(user=user, prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"No token starting {options['prefix']!r}.")
            revoke_token(found)
            self.stdout.write("Revoked.")
