from __future__ import annotations

from django.http import HttpRequest

from practicehub.accounts.roles import PUBLIC, SIGNED_IN, Rule, person_level


def _first_look(request: HttpRequest) -> bool:
    """The page, not its every-2-seconds refresh, is the read worth recording."""
    return "HX-Request" not in request.headers


def _searches_people(request: HttpRequest) -> bool:
    """A search lists observations and coaching plans (people's names) only for those who may
    open them, and only when there are words to search for."""
    from practicehub.site.services.search import searches_people

    return bool(request.GET.get("q", "").strip()) and searches_people(request.user)


URL_PERMISSIONS: dict[str, Rule] = {
    "core:search": person_level(SIGNED_IN, when=_searches_people),
    "core:home": SIGNED_IN,
    "core:digest": SIGNED_IN,
    "core:healthz": PUBLIC,
    "core:favicon": PUBLIC,
    # Scoped in the view: the submitter and state administrators (others: 404). A finished
    # import lists the people it names, so someone else's job is a person-level read.
    "core:job": person_level(SIGNED_IN, record="core.importjob", subject="submitted_by_id",
                             when=_first_look),
    # The asker's own only (others: 404); the download is audited as the export it holds.
    "core:export_job": SIGNED_IN,
    "core:export_download": SIGNED_IN,
}
