"""Stages of implementation: recording a site's stage, rating checklist activities, and the
duration and completion measures per stage, compared across sites.

A stage's duration runs from the date the site entered it to the date it entered the next one
(today for the current stage), in days. Its completion is the share of the stage's checklist
activities rated Established. Together they show whether a site went through a stage thoroughly
as well as how quickly.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources

from django.db.models import QuerySet

from practicehub.accounts.models import OrgNode, User
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.yamlfiles import (
    Document,
    Problem,
    duplicate_codes,
    parse_data_file,
    schema_validator,
)
from practicehub.implementation.models import (
    STAGE_ORDER,
    ChecklistRating,
    Rating,
    Stage,
    StageRecord,
)
from practicehub.implementation.services.access import InvalidInput, require_manage
from practicehub.practice_model.models import ModelVersion

CHECKLIST_FILE = "stage-checklists.yaml"


@dataclass(frozen=True)
class Activity:
    code: str
    text: str
    stage: Stage


@dataclass(frozen=True)
class Checklists:
    version: str
    activities: dict[Stage, list[Activity]]

    def find(self, code: str) -> Activity | None:
        return next((a for found in self.activities.values() for a in found if a.code == code),
                    None)


def _checklist_content(document: Document) -> list[Problem]:
    stages = document.data["stages"]
    codes = [(("stages", s, "activities", a, "code"), activity["code"])
             for s, stage in enumerate(stages) for a, activity in enumerate(stage["activities"])]
    problems = duplicate_codes(document, codes, "activity code")
    names = [(("stages", s, "stage"), stage["stage"]) for s, stage in enumerate(stages)]
    return problems + duplicate_codes(document, names, "stage")


def parse_checklists(text: str, source: str) -> Checklists:
    validator = schema_validator("practicehub.implementation", "stage-checklists.schema.json")
    data = parse_data_file(text, source, validator, _checklist_content).data
    activities = {
        Stage(stage["stage"]): [Activity(a["code"], a["text"], Stage(stage["stage"]))
                                for a in stage["activities"]]
        for stage in data["stages"]
    }
    return Checklists(version=data["version"], activities=activities)


@cache
def shipped_checklists() -> Checklists:
    path = resources.files("practicehub.implementation").joinpath("data", CHECKLIST_FILE)
    source = f"implementation/data/{CHECKLIST_FILE}"
    return parse_checklists(path.read_text(encoding="utf-8"), source)


def record_stage(user: User, *, node: OrgNode, model_version: ModelVersion, stage: str,
                 entered_on: datetime.date, evidence: str = "") -> StageRecord:
    """The site entered ``stage``; stages are entered in order, each on or after the last."""
    require_manage(user, node)
    if stage not in Stage.values:
        raise InvalidInput("stage", f"must be one of {', '.join(Stage.values)}")
    history = list(StageRecord.objects.filter(node=node, model_version=model_version))
    if any(r.stage == stage for r in history):
        raise InvalidInput("stage", f"{node} already has a date for {Stage(stage).label}")
    later = [r for r in history if STAGE_ORDER.index(Stage(r.stage)) > STAGE_ORDER.index(
        Stage(stage))]
    earlier = [r for r in history if r not in later]
    if any(r.entered_on > entered_on for r in earlier):
        raise InvalidInput("entered_on", "must not be before the date of an earlier stage")
    if any(r.entered_on < entered_on for r in later):
        raise InvalidInput("entered_on", "must not be after the date of a later stage")
    record = StageRecord.objects.create(node=node, model_version=model_version, stage=stage,
                                        entered_on=entered_on, evidence=evidence,
                                        recorded_by=user if user.is_authenticated else None)
    record_event(Action.CREATE, obj=record)
    return record


def rate_activity(user: User, *, node: OrgNode, model_version: ModelVersion, activity: str,
                  rating: str, completed_on: datetime.date | None = None) -> ChecklistRating:
    """Set an activity's rating; Established needs the milestone date it was reached."""
    require_manage(user, node)
    found = shipped_checklists().find(activity)
    if found is None:
        raise InvalidInput("activity", f"no checklist activity has the code {activity!r}")
    if rating not in Rating.values:
        raise InvalidInput("rating", f"must be one of {', '.join(Rating.values)}")
    if rating == Rating.ESTABLISHED and completed_on is None:
        raise InvalidInput("completed_on", "give the date an established activity was reached")
    saved, created = ChecklistRating.objects.update_or_create(
        node=node, model_version=model_version, activity=activity,
        defaults={"stage": found.stage, "rating": rating,
                  "completed_on": completed_on if rating == Rating.ESTABLISHED else None},
    )
    record_event(Action.CREATE if created else Action.UPDATE, obj=saved,
                 fields=["rating", "completed_on"])
    return saved


@dataclass(frozen=True)
class StageMeasure:
    stage: Stage
    entered_on: datetime.date | None
    left_on: datetime.date | None
    duration_days: int | None
    activities: int
    established: int

    @property
    def proportion(self) -> Decimal:
        if not self.activities:
            return Decimal(0)
        return Decimal(self.established) / Decimal(self.activities)


def stage_measures(records: list[StageRecord], ratings: list[ChecklistRating],
                   today: datetime.date) -> list[StageMeasure]:
    """Duration and completion of each stage for one site (records and ratings of that site)."""
    entered = {Stage(r.stage): r.entered_on for r in records}
    ordered = sorted(entered.items(), key=lambda pair: (pair[1], STAGE_ORDER.index(pair[0])))
    left: dict[Stage, datetime.date | None] = {}
    for index, (stage, _) in enumerate(ordered):
        left[stage] = ordered[index + 1][1] if index + 1 < len(ordered) else None
    checklists = shipped_checklists()
    done = {r.activity for r in ratings if r.rating == Rating.ESTABLISHED}
    measures = []
    for stage in STAGE_ORDER:
        start = entered.get(stage)
        end = left.get(stage)
        duration = ((end or today) - start).days if start is not None else None
        codes = [a.code for a in checklists.activities.get(stage, [])]
        measures.append(StageMeasure(stage, start, end, duration, len(codes),
                                     sum(code in done for code in codes)))
    return measures


@dataclass(frozen=True)
class SiteStages:
    node: OrgNode
    current: Stage | None
    measures: list[StageMeasure]


def compare_sites(records: QuerySet[StageRecord], ratings: QuerySet[ChecklistRating],
                  model_version: ModelVersion, today: datetime.date) -> list[SiteStages]:
    """One row per site with a stage record for the version, sites in tree order."""
    by_node: dict[int, list[StageRecord]] = {}
    for record in records.filter(model_version=model_version).select_related("node"):
        by_node.setdefault(record.node_id, []).append(record)
    ratings_by_node: dict[int, list[ChecklistRating]] = {}
    for rating in ratings.filter(model_version=model_version):
        ratings_by_node.setdefault(rating.node_id, []).append(rating)
    rows = []
    for found in by_node.values():
        latest = max(found, key=lambda r: (r.entered_on, STAGE_ORDER.index(Stage(r.stage))))
        rows.append(SiteStages(found[0].node, Stage(latest.stage),
                               stage_measures(found, ratings_by_node.get(found[0].node_id, []),
                                              today)))
    return sorted(rows, key=lambda row: row.node.path)


@dataclass(frozen=True)
class SiteChecklist:
    """A site's stages page: its stage records, the measures per stage and each stage's
    checklist activities with the site's rating of each (None when not rated yet)."""

    records: list[StageRecord]
    measures: list[StageMeasure]
    checklist: list[tuple[Stage, list[tuple[Activity, ChecklistRating | None]]]]


def site_checklist(node: OrgNode, model_version: ModelVersion,
                   today: datetime.date) -> SiteChecklist:
    records = list(StageRecord.objects.filter(node=node, model_version=model_version))
    ratings = {rating.activity: rating for rating in
               ChecklistRating.objects.filter(node=node, model_version=model_version)}
    checklist = [(stage, [(activity, ratings.get(activity.code)) for activity in activities])
                 for stage, activities in shipped_checklists().activities.items()]
    return SiteChecklist(records, stage_measures(records, list(ratings.values()), today),
                         checklist)
