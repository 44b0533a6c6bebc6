"""The JSON API: one NinjaAPI with a router per app (``practicehub.<app>.api.router``).

Its OpenAPI document is served at /api/v1/openapi.json. Refusals answer by kind
(``api/errors.py``), a stale update 409 (``api/versions.py``). The interactive docs page is off: it
would load Swagger UI, a third-party page we cannot hold to our accessibility bar.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router

from practicehub.api.auth import signed_in
from practicehub.api.errors import install
from practicehub.api.versions import stale_response
from practicehub.core.app_modules import app_modules
from practicehub.core.services.versioning import StaleEdit

api = NinjaAPI(
    title="practicehub API",
    version="1",
    description="Scoped to the caller: records outside your scope answer 404. Authenticate with "
    "your session (send the CSRF token on changes) or `Authorization: Bearer <token>`.",
    urls_namespace="api",
    auth=signed_in,
    docs_url=None,
)
install(api)


@api.exception_handler(StaleEdit)
def _stale_edit(request: HttpRequest, error: StaleEdit) -> HttpResponse:
    body, headers = stale_response(error)
    response = api.create_response(request, body, status=409)
    for name, value in headers.items():
        response[name] = value
    return response


def _app_routers() -> list[tuple[str, Router]]:
    return [(config.label.replace("_", "-"), module.router)
            for config, module in app_modules("api") if config.label != "api"]


for prefix, router in _app_routers():
    api.add_router(f"/{prefix}/", router)
