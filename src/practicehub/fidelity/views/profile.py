"""The implementation-support profile: results by team and region, rating a member, ratings."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.models import User
from practicehub.core.services.listing import Column, list_page
from practicehub.fidelity.charts import render_svg
from practicehub.fidelity.forms_profile import RateForm, RatingFilters, ResultFilters
from practicehub.fidelity.models import Observation, RaterRelation
from practicehub.fidelity.profile_charts import profile_chart
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.profile_access import visible_teams, whom_to_rate
from practicehub.fidelity.services.profile_ratings import (
    NewRating,
    rate,
    ratings_visible_to,
)
from practicehub.fidelity.services.profile_results import (
    Selection,
    competency_rows,
    quarter_label,
    quarter_rows,
)
from practicehub.implementation.models import Team
from practicehub.practice_model.services.profiles import competencies, current_profile


def _domains() -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for competency in competencies():
        seen.setdefault(competency.domain_code, competency.domain)
    return list(seen.items())


@require_GET
def profile(request: AuthedRequest) -> HttpResponse:
    teams = list(visible_teams(request.user).prefetch_related("members"))
    if not teams:
        raise Http404("No implementation support team in your scope")
    domains = _domains()
    filters = ResultFilters(request.GET, teams=teams, domains=domains)
    context: dict[str, object] = {"filters": filters, "domains": domains,
                                  "version": current_profile(),
                                  "may_rate": any(whom_to_rate(request.user, t) for t in teams)}
    if not filters.is_valid():
        return render(request, "fidelity/profile.html", context, status=400)
    since, until = filters.period(timezone.localdate())
    chosen = filters.chosen_teams()
    selection = Selection(teams=chosen, since=since, until=until, competencies=competencies())
    rows = quarter_rows(selection)
    domain = filters.cleaned_data.get("domain") or ""
    domain_name = dict(domains).get(domain, "every domain")
    spec = profile_chart(f"Share of competencies rated expected, {domain_name}", rows, domain)
    context.update({
        "chosen": chosen, "since": since, "until": until, "domain": domain,
        "other_domains": [(code, name) for code, name in domains if code != domain],
        "rows": [(row, row.share(domain),
                  [row.share(code) for code, _ in domains if code != domain]) for row in rows],
        "domain_name": domain_name, "chart": render_svg(spec) if spec["data"]["values"] else None,
        "competency_rows": competency_rows(selection),
        "period": f"{quarter_label(since)} to {quarter_label(until)}"})
    return render(request, "fidelity/profile.html", context)


def _rating_choices(request: AuthedRequest) -> list[tuple[Team, User, RaterRelation]]:
    return [(team, person, relation) for team in visible_teams(request.user)
            for person, relation in whom_to_rate(request.user, team)]


def profile_rate(request: AuthedRequest) -> HttpResponse:
    choices = _rating_choices(request)
    if not choices:
        raise Http404("You are not a rating member of an implementation support team")
    form = RateForm(request.POST or None, me=request.user, choices=choices,
                    competencies=competencies(),
                    initial={"rated_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        team, person = form.chosen()
        try:
            rating = rate(NewRating(team=team, person=person,
                                    rated_on=form.cleaned_data["rated_on"],
                                    entries=form.entries(), notes=form.cleaned_data["notes"]),
                          request.user)
        except FidelityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Rating recorded.")
            return redirect("fidelity:profile_rating", pk=rating.pk)
    return render(request, "fidelity/profile_rate.html", {"form": form},
                  status=400 if form.errors else 200)


RATING_COLUMNS = [
    Column("date", "Date", "observed_on", descending_first=True),
    Column("person", "Person rated", "worker__last_name,worker__first_name"),
    Column("rater", "Rated by", "observer__last_name,observer__first_name"),
    Column("relation", "Relation", "rater_relation"),
    Column("team", "Team", "support_team__name"),
    Column("expected", "Rated expected"),
]


@require_GET
def profile_ratings(request: AuthedRequest) -> HttpResponse:
    visible = ratings_visible_to(request.user)
    filters = RatingFilters(request.GET, ratings=visible)
    listing = list_page(request, visible.select_related("worker", "observer", "support_team"),
                        RATING_COLUMNS, default_sort="-date", filters=filters)
    return render(request, "fidelity/profile_ratings.html",
                  {"listing": listing, "filters": filters,
                   "may_rate": bool(_rating_choices(request))},
                  status=400 if listing.refused else 200)


@require_GET
def profile_rating(request: AuthedRequest, pk: int) -> HttpResponse:
    rating: Observation = get_object_or_404(
        ratings_visible_to(request.user).select_related("worker", "observer", "support_team",
                                                        "tool"), pk=pk)
    scale = rating.tool.scale_def
    shown = [(r, scale.shown(r.score) if r.score is not None else r.get_mark_display())
             for r in rating.ratings.select_related("behavior__practice")]
    return render(request, "fidelity/profile_rating.html", {"rating": rating, "ratings": shown})
