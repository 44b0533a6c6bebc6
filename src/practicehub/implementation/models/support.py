"""The support-activity log (the dosage of implementation support) and peer learning."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from practicehub.accounts.models import OrgNode, User, Visitor
from practicehub.accounts.scoping import NodeScopedQuerySet
from practicehub.implementation.models.plans import Objective
from practicehub.implementation.models.teams import Team
from practicehub.practice_model.models import CapacityArea, Practice


class ActivityKind(models.TextChoices):
    STRATEGIC_CALL = "strategic_call", "Strategic call"
    SITE_VISIT = "site_visit", "Site visit"
    WORKSHOP = "workshop", "Workshop"
    COACHING = "coaching", "Behavioral coaching session"
    TRAINING = "training", "Training"
    WEBINAR = "webinar", "Webinar"
    ELEARNING = "elearning", "E-learning"
    EMAIL = "email", "Email support"


class Mode(models.TextChoices):
    ONSITE = "onsite", "Onsite"
    VIRTUAL = "virtual", "Virtual"
    PHONE = "phone", "Phone"


class Driver(models.TextChoices):
    """Implementation drivers, as topics of support."""

    SELECTION = "selection", "Selection"
    TRAINING = "training", "Training"
    COACHING = "coaching", "Coaching"
    FIDELITY = "fidelity", "Fidelity assessment"
    DATA_SYSTEM = "data_system", "Decision support data system"
    FACILITATIVE_ADMIN = "facilitative_admin", "Facilitative administration"
    SYSTEMS_INTERVENTION = "systems_intervention", "Systems intervention"
    LEADERSHIP = "leadership", "Leadership (technical and adaptive)"


class SupportActivityQuerySet(NodeScopedQuerySet["SupportActivity"]):
    pass


class SupportActivity(models.Model):
    """One support contact. ``node`` is the site supported; dosage is counted against it."""

    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="support_activities")
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    occurred_on = models.DateField()
    duration_minutes = models.PositiveIntegerField()
    mode = models.CharField(max_length=8, choices=Mode.choices)
    summary = models.TextField(blank=True)
    providers = models.ManyToManyField(User, blank=True, related_name="support_provided")
    provider_organisation = models.ForeignKey(
        OrgNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recipient_teams = models.ManyToManyField(Team, blank=True, related_name="support_received")
    recipient_nodes = models.ManyToManyField(OrgNode, blank=True, related_name="+")
    practices = models.ManyToManyField(Practice, blank=True, related_name="+")
    capacity_areas = models.ManyToManyField(CapacityArea, blank=True, related_name="+")
    drivers = models.JSONField(default=list, blank=True)
    # Codes of competencies of the implementation-support profile (practice_model, kind
    # implementation_support): kept as codes so each version of the profile can name them.
    competencies = models.JSONField(default=list, blank=True)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="support_activities")
    follow_ups = models.TextField(blank=True)

    objects = SupportActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0),
                                   name="support_activity_positive_duration"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.node} on {self.occurred_on:%Y-%m-%d}"


class LessonKind(models.TextChoices):
    LESSON = "lesson", "Lesson learned"
    RESOURCE = "resource", "Resource"


class Sharing(models.TextChoices):
    WITHIN_NODE = "node", "Kept within the site"
    STATEWIDE = "statewide", "Shared across regions"


class LessonQuerySet(NodeScopedQuerySet["Lesson"]):
    """Lessons from the user's scope, plus every lesson shared across regions."""

    def also_visible(self, user: Visitor) -> Q:
        return Q(sharing=Sharing.STATEWIDE)


class Lesson(models.Model):
    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="lessons")
    kind = models.CharField(max_length=10, choices=LessonKind.choices, default=LessonKind.LESSON)
    title = models.CharField(max_length=200)
    body = models.TextField()
    link = models.URLField(blank=True)
    sharing = models.CharField(max_length=10, choices=Sharing.choices, default=Sharing.WITHIN_NODE)
    practices = models.ManyToManyField(Practice, blank=True, related_name="+")
    capacity_areas = models.ManyToManyField(CapacityArea, blank=True, related_name="+")
    drivers = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_on = models.DateField()

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["-created_on", "title"]

    def __str__(self) -> str:
        return self.title
