"""API: instruments, administrations with their scores, and score entry. Scoped to the caller."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from practicehub.accounts.http import AuthedRequest
from practicehub.api.errors import answers
from practicehub.api.versions import expected_version, tag
from practicehub.assessments.models import Administration, Instrument
from practicehub.assessments.services import administrations, scoring

router = Router(tags=["assessments"])


class InstrumentOut(Schema):
    key: str
    version: str
    name: str
    spec: dict[str, Any]


@router.get("/instruments", response=answers(list[InstrumentOut], takes_input=False),
            url_name="assessments_instruments")
def instrument_list(request: HttpRequest) -> list[InstrumentOut]:
    return [InstrumentOut(key=i.key, version=i.version, name=i.name, spec=i.spec)
            for i in Instrument.objects.all()]


class ScoreOut(Schema):
    code: str
    name: str
    score: Decimal
    raw: int
    possible: int
    percent: Decimal
    met_target: bool | None


class AdministrationOut(Schema):
    id: int
    instrument: str
    version: str
    site: str
    team: str | None
    administered_on: datetime.date
    method: str


class AdministrationDetailOut(AdministrationOut):
    edit_version: int
    total: ScoreOut | None
    subscales: list[ScoreOut]
    items: dict[str, int]


def _administration(a: Administration) -> AdministrationOut:
    return AdministrationOut(id=a.pk, instrument=a.instrument.key, version=a.instrument.version,
                             site=a.node.code, team=a.team.name if a.team else None,
                             administered_on=a.administered_on, method=a.method)


def _score(s: scoring.Score) -> ScoreOut:
    return ScoreOut(code=s.code, name=s.name, score=s.shown, raw=s.raw, possible=s.possible,
                    percent=s.percent.quantize(scoring.ONE_PLACE), met_target=s.met_target)


def _detail(a: Administration) -> AdministrationDetailOut:
    results = administrations.results_of(a)
    return AdministrationDetailOut(
        **_administration(a).model_dump(), edit_version=a.edit_version,
        total=_score(results.total) if results else None,
        subscales=[_score(s) for s in results.all_scores()] if results else [],
        items=administrations.answers_of(a) if results else {})


@router.get("/administrations", response=answers(list[AdministrationOut], takes_input=False),
            url_name="assessments_administrations")
def administration_list(request: HttpRequest) -> list[AdministrationOut]:
    found = administrations.visible_administrations(request.user)[:1000]
    return [_administration(a) for a in found]


@router.get("/administrations/{pk}", response=answers(AdministrationDetailOut, records=True),
            url_name="assessments_administration")
def administration_detail(request: HttpRequest, pk: int,
                          response: HttpResponse) -> AdministrationDetailOut:
    found = administrations.visible_administration(request.user, pk)
    tag(response, found)
    return _detail(found)


class ScoresIn(Schema):
    scores: dict[str, int]
    votes: dict[str, dict[str, int]] | None = None
    edit_version: int | None = None


@router.post("/administrations/{pk}/scores",
             response=answers(AdministrationDetailOut, records=True, versioned=True),
             url_name="assessments_scores")
def record_scores(request: AuthedRequest, pk: int, payload: ScoresIn,
                  response: HttpResponse) -> AdministrationDetailOut:
    administration = administrations.visible_administration(request.user, pk)
    version = expected_version(request, payload.edit_version)
    administrations.record_scores(request.user, administration, payload.scores, payload.votes,
                                  expected_version=version)
    tag(response, administration)
    return _detail(administration)
