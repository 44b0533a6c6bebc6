from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from practicehub.site.navigation import nav_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_nav": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {"main_nav": nav_for(user), "current_url_name": current}
