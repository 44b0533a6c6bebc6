"""Rating support team members against the implementation-support profile.

A rating is an ``Observation`` of the profile's tool (every competency, on the Expected /
Developmental / Unacceptable scale, expected counting as proficient), made through the same
ratings and scoring as worker observations and submitted at once. ``rater_relation`` (self, peer,
lead) and ``support_team`` mark it as a profile rating, so worker fidelity never counts it
(``Observation.objects`` leaves profile ratings out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from practicehub.accounts.models import User, Visitor
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.fidelity.models import (
    Mark,
    Observation,
    ObservationQuerySet,
    ObservationTool,
    Rating,
    Setting,
    Status,
)
from practicehub.fidelity.scales import ScaleKind
from practicehub.fidelity.services.errors import FidelityError
from practicehub.fidelity.services.observations import Entry
from practicehub.fidelity.services.profile_access import (
    LEAD_ROLES,
    relation_of,
    sees_every_team,
    visible_teams,
)
from practicehub.fidelity.services.scoring import rescore
from practicehub.implementation.models import Team
from practicehub.practice_model.models import Behavior, ModelVersion
from practicehub.practice_model.services.profiles import current_profile

EXPECTED = 3  # the profile scale's Expected point: a competency rated expected is "proficient"


def profile_tool(version: ModelVersion | None = None) -> ObservationTool:
    """The observation tool of the profile version (the current one by default), made once."""
    version = version or current_profile()
    if version is None:
        raise FidelityError("No implementation-support profile is published yet.")
    name = f"{version.name} {version.label}"
    tool = ObservationTool.every_kind.filter(version=version).order_by("pk").first()
    if tool is not None:
        return tool
    with transaction.atomic():
        tool = ObservationTool.every_kind.create(
            name=name, version=version, scale=ScaleKind.PROFILE, settings=[Setting.OTHER],
            proficient_score=EXPECTED, observation_share=80, worker_latest=1, worker_meeting=1)
        tool.behaviors.set(Behavior.objects.filter(version=version))
        record_event(Action.CREATE, obj=tool, fields=["name", "behaviors", "scale", "rule"])
    return tool


@dataclass(frozen=True)
class NewRating:
    team: Team
    person: User
    rated_on: date
    entries: Mapping[str, Entry]  # competency code → (mark, point)
    notes: str = ""


def _check(new: NewRating, tool: ObservationTool) -> None:
    if new.rated_on > timezone.localdate():
        raise FidelityError("The rating date cannot be in the future.")
    codes = dict(tool.behaviors.values_list("code", "id"))
    unknown = sorted(set(new.entries) - set(codes))
    if unknown:
        raise FidelityError(f"{', '.join(unknown)} is not a competency of {tool.version}.")
    if not any(mark == Mark.RATED for mark, _ in new.entries.values()):
        raise FidelityError("Rate at least one competency.")


def rate(new: NewRating, by: User) -> Observation:
    """Record and submit ``by``'s rating of ``new.person``; refused if the rule says no."""
    relation = relation_of(by, new.person, new.team)
    tool = profile_tool()
    _check(new, tool)
    ids = dict(tool.behaviors.values_list("code", "id"))
    with transaction.atomic():
        rating = Observation.profile_ratings.create(
            tool=tool, worker=new.person, node=new.team.node, observer=by, recorded_by=by,
            rater_relation=relation, support_team=new.team, observed_on=new.rated_on,
            setting=Setting.OTHER, notes=new.notes.strip(), status=Status.SUBMITTED,
            submitted_at=timezone.now())
        Rating.objects.bulk_create(
            Rating(observation=rating, behavior_id=behavior_id,
                   mark=new.entries.get(code, (Mark.NOT_OBSERVED, None))[0],
                   score=new.entries.get(code, (Mark.NOT_OBSERVED, None))[1])
            for code, behavior_id in ids.items())
        rescore(rating)
        record_event(Action.CREATE, obj=rating,
                     fields=["worker", "observer", "rater_relation", "observed_on", "ratings"])
    return rating


def ratings_visible_to(user: Visitor) -> ObservationQuerySet:
    """Profile ratings ``user`` opens one by one: their own (given or received), and every
    rating of the teams they lead or see whole (state administrators, the state core team)."""
    if not user.is_authenticated:
        return Observation.profile_ratings.none()
    led = Q(support_team__members__user=user, support_team__members__role__in=LEAD_ROLES)
    everything = (Q(support_team__in=visible_teams(user)) if sees_every_team(user)
                  else Q(pk__in=[]))
    found: ObservationQuerySet = Observation.profile_ratings.filter(
        Q(worker=user) | Q(observer=user) | led | everything).distinct()
    return found
