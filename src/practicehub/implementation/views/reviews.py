"""Reviews of progress: the list (paged, filtered), the review page with what it gathers and its
decisions, and the create and edit forms."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.core.services.listing import Column, list_page
from practicehub.core.services.versioning import StaleEdit
from practicehub.implementation import forms_reviews as f
from practicehub.implementation.models import Meeting, Review
from practicehub.implementation.services import review_contents, reviews
from practicehub.implementation.services import views_support as scope
from practicehub.implementation.services.access import InvalidInput, manageable_nodes
from practicehub.implementation.views.shared import (
    first_error,
    flash_refusal,
    local_today,
    may_manage,
    refuse,
)

REVIEW_COLUMNS = [
    Column("date", "Held on", "held_on", descending_first=True),
    Column("title", "Review", "title"),
    Column("kind", "Kind", "kind"),
    Column("site", "Site", "node__name"),
    Column("team", "Team", "team__name"),
    Column("decisions", "Decisions"),
]


def review_list(request: AuthedRequest) -> HttpResponse:
    visible = reviews.reviews_in_scope(request.user)
    filters = f.ReviewFilters(request.GET, reviews=visible)
    listing = list_page(request, visible.prefetch_related("decisions"), REVIEW_COLUMNS,
                        default_sort="-date", filters=filters)
    return render(request, "implementation/review_list.html", {
        "listing": listing, "filters": filters, "today": local_today(),
        "can_manage": may_manage(request)}, status=400 if listing.refused else 200)


def _meetings(request: AuthedRequest) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(request.user).select_related("team")


def _page(request: AuthedRequest, form: f.ReviewEditForm, heading: str, back: str,
          status: int) -> HttpResponse:
    return render(request, "implementation/form.html",
                  {"form": form, "heading": heading, "back_href": back}, status=status)


def review_create(request: AuthedRequest) -> HttpResponse:
    form = f.ReviewForm(request.POST or None, nodes=manageable_nodes(request.user),
                        initial={"held_on": local_today()},
                        teams=scope.teams_in_scope(request.user), meetings=_meetings(request))
    if request.method == "POST" and form.is_valid():
        try:
            review = reviews.create_review(request.user, **form.cleaned_data)
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, f"Recorded {review}.")
            return redirect("implementation:review_detail", pk=review.pk)
    return _page(request, form, "Record a review", reverse("implementation:review_list"),
                 400 if form.errors else 200)


def _visible_review(request: AuthedRequest, pk: int) -> Review:
    return get_object_or_404(reviews.reviews_in_scope(request.user), pk=pk)


def review_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    review = _visible_review(request, pk)
    today = local_today()
    return render(request, "implementation/review_detail.html", {
        "review": review, "contents": review_contents.gather(review, request.user, today),
        "decisions": review.decisions.select_related("action__objective__plan"),
        "decision_form": f.ReviewDecisionForm(objectives=reviews.decision_objectives(review),
                                              teams=reviews.decision_teams(review)),
        "can_manage": may_manage(request, review.node), "today": today})


def review_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    review = _visible_review(request, pk)
    form = f.ReviewEditForm(request.POST or None,
                            initial=f.initial_of(review, reviews.REVIEW_FIELDS),
                            teams=scope.teams_in_scope(request.user), meetings=_meetings(request))
    if request.method == "POST" and form.is_valid():
        try:
            reviews.update_review(request.user, review, expected_version=form.expected_version(),
                                  **form.edits())
        except StaleEdit as error:
            form.refuse_stale(error)
        except InvalidInput as error:
            refuse(form, error)
        else:
            messages.success(request, "Review saved.")
            return redirect("implementation:review_detail", pk=review.pk)
    return _page(request, form, f"Edit {review}",
                 reverse("implementation:review_detail", kwargs={"pk": review.pk}),
                 form.page_status())


@require_POST
def review_decision_add(request: AuthedRequest, pk: int) -> HttpResponse:
    review = _visible_review(request, pk)
    form = f.ReviewDecisionForm(request.POST, objectives=reviews.decision_objectives(review),
                                teams=reviews.decision_teams(review))
    try:
        if not form.is_valid():
            raise first_error(form)
        data = form.cleaned_data
        action = (reviews.NewAction(objective=data["objective"], text=data["action_text"],
                                    responsible=data["responsible"], target_on=data["target_on"],
                                    responsible_team=data["responsible_team"])
                  if data["objective"] is not None else None)
        decision = reviews.add_decision(request.user, review, data["text"], action)
    except InvalidInput as error:
        flash_refusal(request, error)
    else:
        messages.success(request, "Decision recorded" + (
            f"; action step “{decision.action}” added to the plan." if decision.action else "."))
    return redirect("implementation:review_detail", pk=review.pk)
