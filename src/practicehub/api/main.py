"""The JSON API: one NinjaAPI with a router per app (``practicehub.<app>.api.router``).

Its OpenAPI document is served at /api/v1/openapi.json. The interactive docs page is off: it
would load Swagger UI, a third-party page we cannot hold to our accessibility bar.
"""

from __future__ import annotations

from ninja import NinjaAPI, Router

from practicehub.api.auth import signed_in
from practicehub.core.app_modules import app_modules

api = NinjaAPI(
    title="practicehub API",
    version="1",
    description="Scoped to the caller: records outside your scope answer 404. Authenticate with "
    "your session (send the CSRF token on changes) or `Authorization: Bearer <token>`.",
    urls_namespace="api",
    auth=signed_in,
    docs_url=None,
)


def _app_routers() -> list[tuple[str, Router]]:
    return [(config.label.replace("_", "-"), module.router)
            for config, module in app_modules("api") if config.label != "api"]


for prefix, router in _app_routers():
    api.add_router(f"/{prefix}/", router)
