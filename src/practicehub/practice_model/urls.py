from __future__ import annotations

from django.urls import URLPattern

app_name = "practice_model"
urlpatterns: list[URLPattern] = []
