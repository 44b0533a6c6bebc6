from __future__ import annotations

from practicehub.accounts.roles import SIGNED_IN, Rule

# Each app declares its own API URL names ("api:<name>") in its permissions.py.
URL_PERMISSIONS: dict[str, Rule] = {
    "api:api-root": SIGNED_IN,
    "api:openapi-json": SIGNED_IN,
}
