"""API: observation tools, observations (draft → ratings → submit → amendments) and scores.

Records come through ``visible_to``: outside scope answers 404. Refused changes answer 422 with
the reason.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status

from practicehub.accounts.models import User
from practicehub.api.errors import answers
from practicehub.api.versions import expected_version, tag
from practicehub.fidelity.models import Observation, ObservationTool, Rating
from practicehub.fidelity.services import dashboards
from practicehub.fidelity.services.access import observable_workers
from practicehub.fidelity.services.observations import (
    NewObservation,
    amend,
    entries_by_code,
    save_draft,
    start_observation,
    submit,
)

router = Router(tags=["fidelity"])


class ToolOut(Schema):
    id: int
    name: str
    model: str
    scale: str
    points: list[tuple[int, str]]
    behaviors: list[str]
    settings: list[str]
    proficient_score: int
    observation_share: int
    worker_latest: int
    worker_meeting: int


class ObservationOut(Schema):
    id: int
    tool_id: int
    worker: str
    unit: str
    observer: str
    observer_kind: str
    paired_with: int | None
    observed_on: date
    setting: str
    status: str
    submitted_at: datetime | None
    ratings: dict[str, int | str]
    meets_fidelity: bool | None
    edit_version: int


class ObservationIn(Schema):
    tool_id: int
    worker: str
    observed_on: date
    setting: str
    observer_kind: str = "coach"
    paired_with: int | None = None
    notes: str = ""


class RatingsIn(Schema):
    ratings: dict[str, str]
    edit_version: int | None = None


class AmendmentIn(Schema):
    ratings: dict[str, str]
    reason: str
    edit_version: int | None = None


class GroupOut(Schema):
    key: str
    label: str
    workers: int
    rated: int | None
    proficient: int | None
    share: float | None
    low: float | None
    high: float | None
    small: bool
    hidden: bool


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the permission map refused anonymous callers
    return request.user


Ratings = dict[str, int | str]  # behavior code → score, or the mark when not scored


def _ratings_of(observations: list[Observation]) -> dict[int, Ratings]:
    """Every listed observation's ratings in one query of plain values (no model objects)."""
    found: dict[int, Ratings] = {observation.pk: {} for observation in observations}
    rows = (Rating.objects.filter(observation__in=list(found))
            .order_by("observation_id", "behavior__order")
            .values_list("observation_id", "behavior__code", "score", "mark"))
    for observation_id, code, score, mark in rows:
        found[observation_id][code] = score if score is not None else mark
    return found


def _out(observation: Observation, ratings: Ratings | None = None) -> ObservationOut:
    if ratings is None:
        ratings = _ratings_of([observation])[observation.pk]
    return ObservationOut(
        id=observation.pk, tool_id=observation.tool_id, worker=observation.worker.username,
        unit=observation.node.code, observer=observation.observer.username,
        observer_kind=observation.observer_kind, paired_with=observation.paired_with_id,
        observed_on=observation.observed_on, setting=observation.setting,
        status=observation.status, submitted_at=observation.submitted_at, ratings=ratings,
        meets_fidelity=observation.meets_fidelity, edit_version=observation.edit_version)


def _observation(request: HttpRequest, pk: int) -> Observation:
    return get_object_or_404(Observation.objects.visible_to(request.user)
                             .select_related("tool", "worker", "observer", "node"), pk=pk)


@router.get("/tools", response=answers(list[ToolOut], takes_input=False),
            url_name="fidelity_tools")
def tools(request: HttpRequest) -> list[ToolOut]:
    return [ToolOut(id=tool.pk, name=tool.name, model=tool.version.ref, scale=tool.scale,
                    points=list(tool.scale_def.points),
                    behaviors=list(tool.behaviors.order_by("order")
                                   .values_list("code", flat=True)),
                    settings=tool.settings, proficient_score=tool.proficient_score,
                    observation_share=tool.observation_share,
                    worker_latest=tool.worker_latest, worker_meeting=tool.worker_meeting)
            for tool in ObservationTool.objects.select_related("version")]


@router.get("/observations", response=answers(list[ObservationOut]),
            url_name="fidelity_observations")
def observations(request: HttpRequest, worker: str = "", limit: int = 100
                 ) -> list[ObservationOut]:
    found = Observation.objects.visible_to(request.user).select_related(
        "tool", "worker", "observer", "node")
    if worker:
        found = found.filter(worker__username=worker)
    page = list(found[: min(limit, 500)])
    ratings = _ratings_of(page)  # the whole page's ratings in one query, not one per observation
    return [_out(item, ratings[item.pk]) for item in page]


@router.post("/observations", response=answers(ObservationOut, status=201, records=True),
             url_name="fidelity_observations")
def create(request: HttpRequest, payload: ObservationIn) -> Status[ObservationOut]:
    user = _user(request)
    tool = get_object_or_404(ObservationTool, pk=payload.tool_id)
    # Whom the observation page offers (practitioners in the caller's observing scope); anyone
    # else answers 404, like every out-of-scope record.
    worker = get_object_or_404(observable_workers(user), username=payload.worker)
    first = (_observation(request, payload.paired_with)
             if payload.paired_with is not None else None)
    observation = start_observation(NewObservation(
        tool=tool, worker=worker, observer=user, observed_on=payload.observed_on,
        setting=payload.setting, observer_kind=payload.observer_kind, paired_with=first,
        notes=payload.notes), user)
    return Status(201, _out(observation))


@router.get("/observations/{pk}", response=answers(ObservationOut, records=True),
            url_name="fidelity_observation")
def observation(request: HttpRequest, pk: int, response: HttpResponse) -> ObservationOut:
    found = _observation(request, pk)
    tag(response, found)
    return _out(found)


@router.put("/observations/{pk}/ratings",
            response=answers(ObservationOut, records=True, versioned=True),
            url_name="fidelity_observation_ratings")
def ratings(request: HttpRequest, pk: int, payload: RatingsIn,
            response: HttpResponse) -> ObservationOut:
    found = _observation(request, pk)
    version = expected_version(request, payload.edit_version)
    save_draft(found, _user(request), entries_by_code(found, payload.ratings),
               expected_version=version)
    tag(response, found)
    return _out(found)


@router.post("/observations/{pk}/submit",
             response=answers(ObservationOut, records=True, versioned=True),
             url_name="fidelity_observation_submit")
def submit_observation(request: HttpRequest, pk: int, response: HttpResponse,
                       edit_version: int | None = None) -> ObservationOut:
    """Lock the draft; name its version as If-Match or ``?edit_version=``, since the request
    has no body."""
    found = _observation(request, pk)
    version = expected_version(request, edit_version)
    submit(found, _user(request), expected_version=version)
    tag(response, found)
    return _out(found)


@router.post("/observations/{pk}/amendments",
             response=answers(ObservationOut, records=True, versioned=True),
             url_name="fidelity_observation_amend")
def amend_observation(request: HttpRequest, pk: int, payload: AmendmentIn,
                      response: HttpResponse) -> ObservationOut:
    found = _observation(request, pk)
    version = expected_version(request, payload.edit_version)
    amend(found, _user(request), entries_by_code(found, payload.ratings), payload.reason,
          expected_version=version)
    tag(response, found)
    return _out(found)


@router.get("/scores", response=answers(list[GroupOut], records=True),
            url_name="fidelity_scores")
def scores(request: HttpRequest, tool_id: int, node: str, by: str = "behavior"
           ) -> list[GroupOut]:
    """Aggregates for a place in your scope, ``by`` behavior, element, practice, a place level
    or month/quarter; small groups come back hidden (no counts) unless you may see workers."""
    tool = get_object_or_404(ObservationTool, pk=tool_id)
    groups = dashboards.groups_by(dashboards.scope_at(_user(request), tool, node), by)
    return [_group(g) for g in groups]


def _group(g: dashboards.Group) -> GroupOut:
    if g.hidden:
        return GroupOut(key=g.key, label=g.label, workers=0, rated=None, proficient=None,
                        share=None, low=None, high=None, small=g.small, hidden=True)
    low, high = g.interval or (None, None)  # no ratings: no share, so no interval
    return GroupOut(key=g.key, label=g.label, workers=g.workers, rated=g.rated,
                    proficient=g.proficient, share=g.share, low=low, high=high, small=g.small,
                    hidden=False)
