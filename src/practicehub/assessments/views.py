"""Assessment pages: instruments, administrations, score entry and results."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from practicehub.accounts.http import AuthedRequest
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.assessments.forms import AdministrationForm, SuggestionForm
from practicehub.assessments.models import Administration, Instrument
from practicehub.assessments.services import administrations, entry, exports, scoring
from practicehub.assessments.services.results import results_view
from practicehub.core.downloads import table_download
from practicehub.core.services.listing import Column, list_page
from practicehub.core.services.versioning import StaleEdit
from practicehub.implementation.models import Plan
from practicehub.implementation.services.access import InvalidInput, manageable_nodes
from practicehub.implementation.services.views_support import teams_in_scope

ADMINISTER = Capability.ASSESSMENTS_ADMINISTER


ADMINISTRATION_COLUMNS = [
    Column("date", "Date", "administered_on", descending_first=True),
    Column("instrument", "Instrument", "instrument__name"),
    Column("site", "Site", "node__name"),
    Column("team", "Team", "team__name"),
    Column("method", "Method", "method"),
]


def index(request: AuthedRequest) -> HttpResponse:
    found = Administration.objects.visible_to(request.user).select_related(
        "instrument", "node", "team")
    return render(request, "assessments/index.html", {
        "instruments": Instrument.objects.all(),
        "listing": list_page(request, found, ADMINISTRATION_COLUMNS, default_sort="-date"),
        "can_administer": has_capability(request.user, ADMINISTER)})


def instrument_detail(request: AuthedRequest, key: str) -> HttpResponse:
    instrument = Instrument.objects.filter(key=key).order_by("-version").first()
    if instrument is None:
        raise Http404("No such instrument.")
    return render(request, "assessments/instrument.html", {
        "instrument": instrument, "spec": instrument.spec,
        "scoring": scoring.scoring_described(instrument.spec)})


def administration_create(request: AuthedRequest) -> HttpResponse:
    form = AdministrationForm(request.POST or None,
                              nodes=manageable_nodes(request.user, ADMINISTER),
                              teams=teams_in_scope(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            started = administrations.start_administration(
                request.user, facilitator=request.user,
                **form.cleaned_data)
        except InvalidInput as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("assessments:scores", pk=started.pk)
    return render(request, "assessments/administration_form.html", {"form": form},
                  status=400 if form.errors else 200)


def _visible(request: AuthedRequest, pk: int) -> Administration:
    return get_object_or_404(Administration.objects.visible_to(request.user).select_related(
        "instrument", "node", "team"), pk=pk)


def _vote_rows(administration: Administration) -> list[tuple[str, str, str]]:
    """Each vote as the page reads it: the item's text, the voter, the scale point's label."""
    spec = administration.instrument.spec
    texts = scoring.item_texts(spec)
    return [(texts.get(v.item, v.item), v.voter, scoring.shown_value(spec, v.value))
            for v in administration.votes.all()]


def administration_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    administration = _visible(request, pk)
    can_administer = has_capability(request.user, ADMINISTER, administration.node)
    plans = Plan.objects.visible_to(request.user).filter(node=administration.node)
    return render(request, "assessments/administration.html", {
        "administration": administration, "view": results_view(administration, request.user),
        "votes": _vote_rows(administration),
        "can_administer": can_administer,
        "suggestion_form": SuggestionForm(plans=plans) if can_administer and plans else None,
        "plans": plans})


def _grid_rows(administration: Administration, voters: list[str],
               values: dict[str, str]) -> list[dict[str, object]]:
    spec = administration.instrument.spec
    return [{"item": item, "score": values.get(f"score-{item.code}", ""),
             "votes": [(index, voter, values.get(f"vote-{item.code}-{index}", ""))
                       for index, voter in enumerate(voters)]}
            for item in scoring.items_of(spec)]


def score_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    administration = _visible(request, pk)
    consensus = administration.method == "consensus"
    default = ", ".join(m.display_name for m in administration.team.members.all()
                        ) if administration.team else ""
    voters = entry.voters_from(request.POST.get("voters") or request.GET.get("voters", default)
                               ) if consensus else []
    existing = {f"score-{s.item}": str(s.value) for s in administration.scores.all()}
    values: dict[str, str] = ({k: str(v) for k, v in request.POST.items()}
                              if request.method == "POST" else existing)
    error = None
    conflict = None
    version = str(administration.edit_version)
    if request.method == "POST":
        version = request.POST.get("edit_version", "")
        try:
            scores, votes = entry.read_grid(administration.instrument.spec, request.POST, voters)
            administrations.record_scores(request.user, administration, scores,
                                          votes if consensus else None,
                                          expected_version=entry.read_version(request.POST))
        except InvalidInput as refused:
            error = f"Nothing was saved. {refused.field}: {refused.message}"
        except StaleEdit as stale:
            conflict, version = stale, str(stale.current_version)
        else:
            messages.success(request, "Scores saved.")
            return redirect("assessments:administration", pk=administration.pk)
    spec = administration.instrument.spec
    return render(request, "assessments/score_entry.html", {
        "administration": administration, "consensus": consensus, "voters": voters,
        "voters_text": ", ".join(voters), "rows": _grid_rows(administration, voters, values),
        "scale": spec["scale"], "error": error, "conflict": conflict, "edit_version": version},
        status=409 if conflict else 400 if error else 200)


@require_POST
def suggestion_add(request: AuthedRequest, pk: int) -> HttpResponse:
    administration = _visible(request, pk)
    form = SuggestionForm(request.POST, plans=Plan.objects.visible_to(request.user))
    try:
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise InvalidInput(field, " ".join(str(e) for e in errors))
        action = administrations.add_suggestion_to_plan(
            request.user, administration, form.cleaned_data["item"], form.cleaned_data["plan"],
            form.cleaned_data["target_on"])
    except InvalidInput as error:
        messages.error(request, f"Nothing was saved. {error.field}: {error.message}")
        return redirect("assessments:administration", pk=administration.pk)
    messages.success(request, f"Added to {form.cleaned_data['plan']}: {action.text}")
    return redirect("implementation:plan_detail", pk=form.cleaned_data["plan"].pk)


def export(request: AuthedRequest, key: str) -> HttpResponse:
    if key not in exports.TABLES:
        raise Http404("No such list.")
    table = exports.TABLES[key](request.user, timezone.localdate())
    return table_download(table, request.GET.get("format", "csv"), "assessments")
