from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from practicehub.api.main import api

urlpatterns: list[URLPattern | URLResolver] = [path("", api.urls)]
