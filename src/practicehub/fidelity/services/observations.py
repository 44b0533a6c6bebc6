"""Tools, observations, ratings, submission and amendments: the only writers of these tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from practicehub.accounts.models import NodeKind, OrgNode, RoleAssignment, User
from practicehub.accounts.roles import Capability, Role
from practicehub.accounts.scoping import assignments_of, has_capability, scope_paths
from practicehub.audit.actions import Action
from practicehub.audit.services import record_event
from practicehub.core.services.versioning import save_if_current
from practicehub.fidelity.models import (
    Amendment,
    Mark,
    Observation,
    ObservationTool,
    ObserverKind,
    Rating,
    Setting,
    Status,
)
from practicehub.fidelity.scales import scale_of
from practicehub.fidelity.services import aggregates, edit_versions
from practicehub.fidelity.services.errors import FidelityError, ObservationLocked
from practicehub.fidelity.services.scoring import require, rescore, validate_rule
from practicehub.practice_model.models import Behavior, ModelKind, ModelVersion

# What a rating form or file holds for one behavior: a mark, and a point when rated.
Entry = tuple[str, int | None]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    version: ModelVersion
    scale: str
    behaviors: list[Behavior]
    settings: list[str]
    proficient_score: int | None = None
    observation_share: int = 80
    worker_latest: int = 3
    worker_meeting: int = 3


def create_tool(spec: ToolSpec) -> ObservationTool:
    scale = scale_of(spec.scale)
    proficient = spec.proficient_score or scale.default_proficient
    problems = validate_rule(scale.values, proficient, spec.observation_share,
                             spec.worker_latest, spec.worker_meeting)
    if not spec.behaviors:
        problems.append("Choose at least one behavior.")
    if any(behavior.version_id != spec.version.pk for behavior in spec.behaviors):
        problems.append("Every behavior must belong to the chosen model version.")
    unknown = set(spec.settings) - set(Setting.values)
    if unknown or not spec.settings:
        problems.append("Choose at least one setting from the list.")
    require(problems)
    with transaction.atomic():
        tool = ObservationTool.objects.create(
            name=spec.name, version=spec.version, scale=spec.scale, settings=spec.settings,
            proficient_score=proficient, observation_share=spec.observation_share,
            worker_latest=spec.worker_latest, worker_meeting=spec.worker_meeting)
        tool.behaviors.set(spec.behaviors)
        record_event(Action.CREATE, obj=tool, fields=["name", "behaviors", "scale", "rule"])
    return tool


def practitioner_unit(worker: User) -> OrgNode:
    assignment = (RoleAssignment.objects.filter(user=worker, role=Role.PRACTITIONER)
                  .select_related("node").order_by("-granted_at").first())
    if assignment is None:
        raise FidelityError(f"{worker} is not a practitioner, so cannot be observed.")
    return assignment.node


def parse_entry(value: str, scale_values: Iterable[int]) -> Entry:
    """A form or file value: a scale point, or "not_observed" / "not_applicable"."""
    cleaned = value.strip().lower()
    if cleaned in {Mark.NOT_OBSERVED, "no", ""}:
        return (Mark.NOT_OBSERVED, None)
    if cleaned in {Mark.NOT_APPLICABLE, "na", "n/a"}:
        return (Mark.NOT_APPLICABLE, None)
    if cleaned.isdigit() and int(cleaned) in set(scale_values):
        return (Mark.RATED, int(cleaned))
    raise FidelityError(f"“{value}” is not a point of the scale, NO or NA.")


@dataclass(frozen=True)
class NewObservation:
    tool: ObservationTool
    worker: User
    observer: User
    observed_on: date
    setting: str
    observer_kind: str = ObserverKind.COACH
    paired_with: Observation | None = None
    notes: str = ""
    reference: str = ""


def _coach_refusal(observer: User, unit: OrgNode, recorded_by: User) -> str | None:
    if observer.pk == recorded_by.pk:
        # Recording yourself, as the start form does: your own right to observe decides.
        if has_capability(recorded_by, Capability.FIDELITY_OBSERVE, unit):
            return None
        return f"{observer.username} is outside the sites you observe"
    held = assignments_of(observer)
    coaching = [a.node for a in held if a.role == Role.COACH]
    if not coaching:
        if any(a.role == Role.PARTNER for a in held):
            return f"{observer.username} is a partner, so cannot observe as coach"
        return f"{observer.username} is not a coach of this worker's unit"
    reaching = [node for node in coaching if node.contains(unit)]
    if not reaching:
        return f"{observer.username} is not a coach of this worker's unit"
    own = scope_paths(recorded_by, Capability.FIDELITY_OBSERVE)
    if not any(node.path.startswith(path) for node in reaching for path in own):
        return f"{observer.username} is outside the sites you observe"
    return None


def _partner_refusal(observer: User, unit: OrgNode) -> str | None:
    organisations = [a.node for a in assignments_of(observer)
                     if a.role == Role.PARTNER and a.node.kind == NodeKind.PARTNER]
    if not organisations:
        return f"{observer.username} is not a partner, so cannot observe as partner"
    sites = OrgNode.objects.filter(pk__in=[node.parent_id for node in organisations])
    if not any(site.contains(unit) for site in sites):
        return f"{observer.username} is a partner of another site, not of this worker's unit"
    return None


def observer_refusal(observer: User, kind: str, unit: OrgNode, recorded_by: User) -> str | None:
    """Why ``recorded_by`` may not name ``observer`` as the ``kind`` observer of a worker in
    ``unit``, or None when they may. The one rule for the start form, the API and imports.

    A coach observer holds the Coach / supervisor role at a node containing the unit and inside
    the recorder's own observing scope (or is the recorder, observing as the form records them);
    a partner observer holds the partner role at a partner organisation invited to a site (its
    parent node) containing the unit. Nobody else is named, so nobody else reaches the record.
    """
    if kind == ObserverKind.COACH:
        return _coach_refusal(observer, unit, recorded_by)
    if kind == ObserverKind.PARTNER:
        return _partner_refusal(observer, unit)
    return f"“{kind}” is not one of {', '.join(ObserverKind.values)}"


def _check_new(new: NewObservation, recorded_by: User, unit: OrgNode) -> None:
    problems = []
    if not has_capability(recorded_by, Capability.FIDELITY_OBSERVE, unit):
        problems.append("You may not record observations of this worker.")
    elif refusal := observer_refusal(new.observer, new.observer_kind, unit, recorded_by):
        problems.append(f"{refusal}.")
    if new.tool.version.kind != ModelKind.PRACTICE:
        problems.append("This tool rates support staff against the implementation-support "
                        "profile; rate them on the profile's page, not as workers.")
    if new.setting not in new.tool.settings:
        problems.append("This tool is not used in that setting.")
    if new.observed_on > timezone.localdate():
        problems.append("The observation date cannot be in the future.")
    first = new.paired_with
    if first is not None and (first.tool_id != new.tool.pk or first.worker_id != new.worker.pk
                              or first.observed_on != new.observed_on
                              or first.paired_with_id is not None):
        problems.append("A second rating must pair with a first observer's record of the same "
                        "worker, tool and day.")
    if first is not None and first.observer_id == new.observer.pk:
        problems.append("The second observer must be a different person.")
    require(problems)


def start_observation(new: NewObservation, recorded_by: User) -> Observation:
    """A draft with every behavior of the tool marked not observed, ready to rate."""
    unit = practitioner_unit(new.worker)
    _check_new(new, recorded_by, unit)
    with transaction.atomic():
        observation = Observation.objects.create(
            tool=new.tool, worker=new.worker, node=unit, observer=new.observer,
            observer_kind=new.observer_kind, paired_with=new.paired_with, recorded_by=recorded_by,
            observed_on=new.observed_on, setting=new.setting, notes=new.notes,
            reference=new.reference)
        Rating.objects.bulk_create(
            Rating(observation=observation, behavior=behavior)
            for behavior in new.tool.behaviors.all())
        record_event(Action.CREATE, obj=observation,
                     fields=["worker", "observer", "observed_on", "setting"])
    return observation


def _write(observation: Observation, entries: Mapping[int, Entry]) -> list[dict[str, Any]]:
    """Store entries by behavior id; return what changed (code, before, after)."""
    values = scale_of(observation.tool.scale).values
    ratings = {rating.behavior_id: rating
               for rating in observation.ratings.select_related("behavior")}
    unknown = set(entries) - set(ratings)
    if unknown:
        raise FidelityError("A rating names a behavior this tool does not observe.")
    changed: list[Rating] = []
    changes: list[dict[str, Any]] = []
    for behavior_id, (mark, score) in entries.items():
        if mark == Mark.RATED and score not in values:
            raise FidelityError(f"{score} is not a point of this tool's scale.")
        rating = ratings[behavior_id]
        if (rating.mark, rating.score) != (mark, score):
            changes.append({"behavior": rating.behavior.code,
                            "before": rating.score if rating.score is not None else rating.mark,
                            "after": score if score is not None else mark})
            rating.mark, rating.score = mark, score
            changed.append(rating)
    Rating.objects.bulk_update(changed, ["mark", "score"])
    return changes


def may_edit_draft(user: User, observation: Observation) -> bool:
    """A draft belongs to whoever observed or recorded it until it is submitted."""
    return not observation.is_submitted and user.pk in {observation.observer_id,
                                                        observation.recorded_by_id}


def save_draft(observation: Observation, by: User, entries: Mapping[int, Entry],
               notes: str | None = None, *, expected_version: int | None = None) -> Observation:
    """Save ratings (and notes) of a draft; refused with ``StaleEdit`` if it was saved since
    ``expected_version`` (another tab, say) and what is saved now differs from what is sent."""
    if observation.is_submitted:
        raise ObservationLocked
    if not may_edit_draft(by, observation):
        raise FidelityError("Only the observer edits a draft.")
    with transaction.atomic():
        fields = ["ratings"]
        new_notes = {"notes": notes} if notes is not None and notes != observation.notes else {}
        save_if_current(observation, expected_version, new_notes,
                        yours=edit_versions.sent(observation, entries, notes),
                        content=edit_versions.content)
        _write(observation, entries)
        fields += list(new_notes)
        rescore(observation)
        record_event(Action.UPDATE, obj=observation, fields=fields)
    return observation


def submit(observation: Observation, by: User, *,
           expected_version: int | None = None) -> Observation:
    """Lock a draft; refused if it was saved since ``expected_version``, since the submitter
    would lock ratings they have not seen."""
    if observation.is_submitted:
        raise ObservationLocked
    if by.pk not in {observation.observer_id, observation.recorded_by_id}:
        raise FidelityError("Only the observer submits an observation.")
    with aggregates.keeping(observation.tool, [observation.worker_id]):
        result = rescore(observation)
        if result.rated == 0:
            raise FidelityError("Rate at least one behavior before submitting.")
        save_if_current(observation, expected_version,
                        {"status": Status.SUBMITTED, "submitted_at": timezone.now()},
                        strict=True)
        record_event(Action.UPDATE, obj=observation, fields=["status"])
    return observation


def may_amend(user: User, observation: Observation) -> bool:
    return observation.is_submitted and (
        user.pk == observation.observer_id
        or has_capability(user, Capability.FIDELITY_AMEND, observation.node))


def amend(observation: Observation, by: User, entries: Mapping[int, Entry],
          reason: str, *, expected_version: int | None = None) -> Amendment:
    """Change a submitted record: the old and new ratings and the reason are kept."""
    if not observation.is_submitted:
        raise FidelityError("A draft is edited, not amended.")
    if not may_amend(by, observation):
        raise FidelityError("Only the observer or an administrator amends an observation.")
    if not reason.strip():
        raise FidelityError("Give the reason for the amendment.")
    with aggregates.keeping(observation.tool, [observation.worker_id]):
        save_if_current(observation, expected_version,
                        yours=edit_versions.sent(observation, entries),
                        content=edit_versions.content)
        changes = _write(observation, entries)
        if not changes:
            raise FidelityError("Nothing changed, so nothing was amended.")
        rescore(observation)
        amendment = Amendment.objects.create(observation=observation, amended_by=by,
                                             reason=reason.strip(), changes=changes)
        record_event(Action.UPDATE, obj=observation, fields=["ratings"])
        record_event(Action.CREATE, obj=amendment, fields=["reason", "changes"])
    return amendment


def entries_by_code(observation: Observation, by_code: Mapping[str, str]) -> dict[int, Entry]:
    """Turn {behavior code: value} (as the API and files send them) into entries."""
    values = scale_of(observation.tool.scale).values
    ids = dict(observation.tool.behaviors.values_list("code", "id"))
    unknown = sorted(set(by_code) - set(ids))
    if unknown:
        raise FidelityError(f"This tool does not observe {', '.join(unknown)}.")
    return {ids[code]: parse_entry(value, values) for code, value in by_code.items()}
