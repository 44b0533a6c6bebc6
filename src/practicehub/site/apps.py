from __future__ import annotations

from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The pages no one area owns (home, search, a background job's page, the main navigation),
    the demo and the web benchmark: it composes every area, so it may import any app and no app
    imports it (``.importlinter``). Its URLs keep the ``core:`` names they had when they lived in
    core."""

    name = "practicehub.site"
    label = "site"
    verbose_name = "The site: pages and commands composing every area"
