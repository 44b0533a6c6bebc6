"""Observation tools, observations and their ratings, amendments, and coaching plans.

Person-level rows (observations, ratings, plans) carry the worker's unit in ``node`` so scoping
is one indexed path prefix match, as everywhere else.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from practicehub.accounts.models import OrgNode, Visitor
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import NodeScopedQuerySet
from practicehub.core.services.versioning import VersionedModel
from practicehub.fidelity.scales import Scale, ScaleKind, scale_of
from practicehub.practice_model.models import Behavior, ModelKind, ModelVersion


class Setting(models.TextChoices):
    CFT_MEETING = "cft_meeting", "Child and family team meeting"
    HOME_VISIT = "home_visit", "Home visit"
    SUPERVISION = "supervision", "Supervision"
    COURT = "court", "Court"
    OTHER = "other", "Other"


class PracticeTools(models.Manager["ObservationTool"]):
    """``ObservationTool.objects``: tools of practice models, the ones worker fidelity offers.
    The implementation-support profile's tool is reached through ``every_kind``."""

    def get_queryset(self) -> models.QuerySet[ObservationTool]:
        return super().get_queryset().filter(version__kind=ModelKind.PRACTICE)


class ObservationTool(models.Model):
    """Which behaviors of a model version are observed, on which scale, in which settings, and
    the fidelity rule (stored as data so a site can change its threshold without a release)."""

    name = models.CharField(max_length=200, unique=True)
    version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="tools")
    scale = models.CharField(max_length=16, choices=ScaleKind.choices)
    behaviors = models.ManyToManyField(Behavior, related_name="tools")
    settings = models.JSONField(default=list, help_text="Setting codes the tool is used in.")
    proficient_score = models.PositiveSmallIntegerField(
        help_text="A rating at or above this point counts as proficient.")
    observation_share = models.PositiveSmallIntegerField(
        default=80, help_text="Percent of rated behaviors that must be proficient.")
    worker_latest = models.PositiveSmallIntegerField(
        default=3, help_text="How many of the worker's latest observations are considered.")
    worker_meeting = models.PositiveSmallIntegerField(
        default=3, help_text="How many of those must meet fidelity.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeTools()
    every_kind = models.Manager["ObservationTool"]()

    class Meta:
        ordering = ["name"]
        default_manager_name = "every_kind"

    def __str__(self) -> str:
        return self.name

    @property
    def scale_def(self) -> Scale:
        return scale_of(self.scale)

    def setting_labels(self) -> list[str]:
        labels = dict(Setting.choices)
        return [str(labels.get(code, code)) for code in self.settings]


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class ObserverKind(models.TextChoices):
    COACH = "coach", "Agency coach"
    PARTNER = "partner", "Community or Tribal partner"


class RaterRelation(models.TextChoices):
    """Who rated a support team member against the implementation-support profile. Blank on
    every observation of a worker; set on every profile rating (``services/profile_ratings``)."""

    SELF = "self", "Self-rating"
    PEER = "peer", "Peer"
    LEAD = "lead", "Team lead"


PERIOD_FIELDS = ("observed_month", "observed_quarter", "federal_period")


def period_keys(day: date | str) -> dict[str, Any]:
    """The month and quarter (their first days) and the federal half year ``day`` falls in; for
    rows made without ``save`` (bulk_create) too."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    fiscal_year = day.year + 1 if day.month >= 10 else day.year
    half = "B" if 4 <= day.month <= 9 else "A"
    return {"observed_month": day.replace(day=1),
            "observed_quarter": date(day.year, (day.month - 1) // 3 * 3 + 1, 1),
            "federal_period": f"{fiscal_year % 100:02d}{half}"}


class ObservationQuerySet(NodeScopedQuerySet["Observation"]):
    """Ratings of a worker reach the worker, their observer and the people whose
    ``fidelity.people`` role sits at a node containing the worker's unit."""

    capability = Capability.FIDELITY_PEOPLE

    def also_visible(self, user: Visitor) -> Q:
        return Q(worker=user) | Q(observer=user)

    def scored(self) -> ObservationQuerySet:
        """Submitted first-observer records: the ones scores count (second raters check them)."""
        return self.filter(status=Status.SUBMITTED, paired_with__isnull=True)


ObservationManager = models.Manager.from_queryset(ObservationQuerySet)


class PracticeObservations(ObservationManager["Observation"]):
    """``Observation.objects``: observations of workers only. Profile ratings (a support team
    member rated against the implementation-support profile) never reach worker fidelity:
    dashboards, agreement, coaching, lists and exports all read through this manager."""

    def get_queryset(self) -> ObservationQuerySet:
        return ObservationQuerySet(self.model, using=self._db).filter(rater_relation="")


class ProfileRatings(ObservationManager["Observation"]):
    """``Observation.profile_ratings``: the implementation-support profile ratings only."""

    def get_queryset(self) -> ObservationQuerySet:
        return ObservationQuerySet(self.model, using=self._db).exclude(rater_relation="")


class Observation(VersionedModel):
    tool = models.ForeignKey(ObservationTool, on_delete=models.PROTECT,
                             related_name="observations")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="observations_received")
    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="observations",
                             help_text="The worker's unit when observed.")
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="observations_made")
    observer_kind = models.CharField(max_length=16, choices=ObserverKind.choices,
                                     default=ObserverKind.COACH)
    # Set only on implementation-support profile ratings: how the rater stands to the member
    # rated (``worker``), and the support team they were rated in.
    rater_relation = models.CharField(max_length=8, choices=RaterRelation.choices, blank=True,
                                      default="")
    support_team = models.ForeignKey("implementation.Team", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    # A coach may enter a partner observer's ratings; both may then finish the draft.
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    paired_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="second_ratings",
        help_text="The first observer's record when this is a second rating of the same session.")
    observed_on = models.DateField()
    setting = models.CharField(max_length=16, choices=Setting.choices)
    notes = models.TextField(blank=True)
    reference = models.CharField(max_length=64, blank=True,
                                 help_text="The record id in an imported file.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Kept with the record when it is submitted or amended, so dashboards count in SQL.
    rated_count = models.PositiveSmallIntegerField(default=0)
    proficient_count = models.PositiveSmallIntegerField(default=0)
    meets_fidelity = models.BooleanField(null=True)
    # The periods it counts in, kept with it (``save`` and ``period_keys``), so dashboards group
    # by month and quarter without a date function per rating.
    observed_month = models.DateField(null=True, editable=False)
    observed_quarter = models.DateField(null=True, editable=False)
    federal_period = models.CharField(max_length=3, blank=True, editable=False,
                                      help_text="AFCARS half year, e.g. 25A (Oct–Mar).")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeObservations()
    profile_ratings = ProfileRatings()
    every_kind = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-observed_on", "-id"]
        # Related lookups and optimistic locking (save_if_current) reach every record.
        default_manager_name = "every_kind"
        indexes = [
            models.Index(fields=["tool", "status", "observed_on"]),
            models.Index(fields=["worker", "observed_on"]),
        ]

    def __str__(self) -> str:
        return f"Observation {self.pk} of {self.worker} on {self.observed_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name, value in period_keys(self.observed_on).items():
            setattr(self, name, value)
        if kwargs.get("update_fields") is not None and "observed_on" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], *PERIOD_FIELDS}
        super().save(*args, **kwargs)

    @property
    def is_submitted(self) -> bool:
        return self.status == Status.SUBMITTED


class Mark(models.TextChoices):
    RATED = "rated", "Rated"
    NOT_OBSERVED = "not_observed", "Not observed"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Rating(models.Model):
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE,
                                    related_name="ratings")
    behavior = models.ForeignKey(Behavior, on_delete=models.PROTECT, related_name="ratings")
    mark = models.CharField(max_length=16, choices=Mark.choices, default=Mark.NOT_OBSERVED)
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["behavior__order"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "behavior"],
                                    name="fidelity_one_rating_per_behavior"),
            models.CheckConstraint(
                condition=(models.Q(mark="rated", score__isnull=False)
                           | (~models.Q(mark="rated") & models.Q(score__isnull=True))),
                name="fidelity_score_only_when_rated"),
        ]

    def __str__(self) -> str:
        return f"{self.behavior.code}: {self.score if self.score is not None else self.mark}"


class Amendment(models.Model):
    """A change to a submitted observation: who, when, why, and each rating before and after."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE,
                                    related_name="amendments")
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    amended_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-amended_at", "-id"]

    def __str__(self) -> str:
        return f"Amendment of observation {self.observation_id}"

    @property
    def node(self) -> OrgNode:
        return self.observation.node


class PlanQuerySet(NodeScopedQuerySet["CoachingPlan"]):
    """A coaching plan reaches its person, their coach and the person's ``fidelity.people``
    chain."""

    capability = Capability.FIDELITY_PEOPLE

    def also_visible(self, user: Visitor) -> Q:
        return Q(person=user) | Q(coach=user)


class CoachingPlan(VersionedModel):
    """One person's coaching plan. The person may be a worker, a supervisor or a manager: the
    cascade is plans whose coach is in turn the person of another plan."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="coaching_plans")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="plans_coached")
    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="coaching_plans")
    tool = models.ForeignKey(ObservationTool, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="plans")
    started_on = models.DateField()
    closed_on = models.DateField("closed on", null=True, blank=True)
    focus_behaviors = models.ManyToManyField(Behavior, related_name="coaching_plans", blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"Coaching plan for {self.person}"


class Goal(VersionedModel):
    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="goals")
    behavior = models.ForeignKey(Behavior, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    text = models.TextField()
    target_on = models.DateField(null=True, blank=True)
    achieved_on = models.DateField("met on", null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def node(self) -> OrgNode:
        return self.plan.node


class CoachingSession(models.Model):
    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField()
    notes = models.TextField()
    follow_ups = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"Coaching session on {self.held_on}"

    @property
    def node(self) -> OrgNode:
        return self.plan.node


class DashboardAggregate(models.Model):
    """Scored ratings summed per worker, their unit and one grouping key, kept by
    ``services/aggregates`` in the transaction of each submit and amendment, so a dashboard reads
    these rows instead of every rating. ``dimension`` is ``place`` (key blank), ``month`` or
    ``quarter`` (key: the period's first day, ISO), or ``behavior``, ``element`` or
    ``practice`` (key: the code, null when a behavior has no element or practice). Rows keep the
    worker, so distinct workers still come out right when rows are added across keys."""

    tool = models.ForeignKey(ObservationTool, on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(OrgNode, on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    dimension = models.CharField(max_length=8)
    # Null, not blank, for a behavior without element or practice: as the grouped query gives it.
    key = models.CharField(max_length=64, null=True)  # noqa: DJ001
    observations = models.PositiveIntegerField()
    rated = models.PositiveIntegerField()
    proficient = models.PositiveIntegerField()
    score_sum = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["tool", "dimension"]),
                   models.Index(fields=["tool", "worker"])]

    def __str__(self) -> str:
        return f"{self.dimension} {self.key} of worker {self.worker_id}"


class DashboardWorkerStatus(models.Model):
    """A worker's latest scored observations of a tool inside one place, counted as
    ``dashboards.worker_statuses`` counts them (the newest ``worker_latest``, and how many of
    those met fidelity), kept with the dashboard aggregates. One row per worker and each place
    holding one of their observations (the observation's unit and every place above it), since
    the latest observations inside a place depend on the place when a worker has moved."""

    tool = models.ForeignKey(ObservationTool, on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey(OrgNode, on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    node = models.ForeignKey(OrgNode, on_delete=models.CASCADE, related_name="+",
                             help_text="Where the newest of these observations was made.")
    considered = models.PositiveIntegerField()
    meeting = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["tool", "place"]),
                   models.Index(fields=["tool", "worker"])]

    def __str__(self) -> str:
        return f"Status of worker {self.worker_id} in {self.place_id}"


class DashboardState(models.Model):
    """What the kept aggregates of a tool were built from (``services/aggregates.fingerprint``);
    a view that finds another fingerprint (rows written around the services: the demo, a bulk
    load, a deletion) rebuilds them first. ``version`` counts the changes."""

    tool = models.OneToOneField(ObservationTool, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Dashboard aggregates of {self.tool_id}, version {self.version}"
