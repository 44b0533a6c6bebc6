"""Plans (strategic, external implementation support, general) with priorities, objectives and
action steps, following the fields of the statewide implementation plan template."""

from __future__ import annotations

from django.db import models

from practicehub.accounts.models import OrgNode
from practicehub.accounts.scoping import NodeScopedQuerySet
from practicehub.core.services.versioning import VersionedModel
from practicehub.implementation.models.teams import Team


class PlanKind(models.TextChoices):
    STRATEGIC = "strategic", "Strategic implementation plan"
    EXTERNAL_SUPPORT = "external_support", "External implementation support plan"
    GENERAL = "general", "General plan"
    SYSTEM_IMPROVEMENT = "sip", "System Improvement Plan"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    ARCHIVED = "archived", "Archived"


class Dimension(models.TextChoices):
    """The four dimensions of the statewide implementation snapshot and plan template."""

    ORGANIZATION_LEADERSHIP = "organization_leadership", "Organization and leadership"
    WORKFORCE = "workforce", "Workforce development"
    DATA = "data", "Using data for understanding and improvement"
    PARTNERSHIPS = "partnerships", "Strengthening partnerships for system change"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ImplementationPlanQuerySet(NodeScopedQuerySet["Plan"]):
    pass


class Plan(VersionedModel):
    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    planning_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    start_on = models.DateField()
    reassess_on = models.DateField(help_text="Typically 12–18 months after the start.")
    definition_of_success = models.TextField(blank=True)
    supports_needed = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ImplementationPlanQuerySet.as_manager()

    class Meta:
        ordering = ["node__path", "-start_on", "title"]

    def __str__(self) -> str:
        return self.title


class Priority(VersionedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    dimension = models.CharField(max_length=32, choices=Dimension.choices)
    text = models.TextField()
    # 0 until someone arranges the plan's priorities by hand; then 1, 2, … in their order.
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "dimension", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def node(self) -> OrgNode:
        return self.plan.node


class Objective(VersionedModel):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives"
    )
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    closed_on = models.DateField(null=True, blank=True, verbose_name="closed on",
                                 help_text="Set when the objective is met or set aside.")

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def node(self) -> OrgNode:
        return self.plan.node


class PlanAction(VersionedModel):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    responsible = models.CharField(max_length=200, help_text="Person or team responsible.")
    responsible_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_actions"
    )
    target_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    supports_needed = models.TextField(blank=True)
    done_on = models.DateField(null=True, blank=True, verbose_name="closed on")
    # 0 until someone arranges the objective's steps by hand (they run by target date till then).
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["objective", "order", "target_on", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def node(self) -> OrgNode:
        return self.objective.plan.node
