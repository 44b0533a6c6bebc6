"""Teams, their members and charters, and their meetings with decisions and action items."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.scoping import NodeScopedQuerySet
from practicehub.core.services.versioning import VersionedModel


class TeamKind(models.TextChoices):
    EXECUTIVE_LEADERSHIP = "elt", "Executive leadership team"
    EXECUTIVE_MANAGEMENT = "emt", "Executive management team"
    IMPLEMENTATION = "it", "Implementation team"
    REGIONAL_SUPPORT = "rist", "Regional implementation support team"
    STATE_CORE = "state_core", "State core team"
    PEER_NETWORK = "peer_network", "Cross-site peer network"
    COMMUNITY_TRIBAL = "community_tribal", "Community and Tribal advisory"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    BIMONTHLY = "bimonthly", "Every two months"
    QUARTERLY = "quarterly", "Quarterly"
    AS_NEEDED = "as_needed", "As needed"


class TeamRole(models.TextChoices):
    CHAIR = "chair", "Chair or lead"
    SPONSOR = "sponsor", "Executive sponsor"
    FACILITATOR = "facilitator", "Facilitator"
    COORDINATOR = "coordinator", "Coordinator"
    MEMBER = "member", "Member"
    ADVISOR = "advisor", "Advisor (external)"
    RECORDER = "recorder", "Note taker"


class TeamQuerySet(NodeScopedQuerySet["Team"]):
    """Teams in scope, plus teams the user sits on (how partners reach their teams)."""

    member_field = ""


class Team(VersionedModel):
    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=TeamKind.choices)
    purpose = models.TextField(blank=True)
    decision_authority = models.TextField(blank=True)
    communication_protocol = models.TextField(blank=True)
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY)
    formed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["node__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["node", "name"],
                                    name="implementation_team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A person on a team: a user, or a named external member from a partner organisation."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="team_memberships"
    )
    name = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(
        OrgNode, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=16, choices=TeamRole.choices, default=TeamRole.MEMBER)

    class Meta:
        ordering = ["team", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="team_member_user_or_name"
            ),
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(user__isnull=False),
                name="team_member_unique_user",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return str(self.user)
        return self.name

    @property
    def node(self) -> OrgNode:
        return self.team.node


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "Regular meeting"
    AFTER_ACTION = "after_action", "After-action review"


class MeetingQuerySet(NodeScopedQuerySet["Meeting"]):
    node_field = "team__node"
    member_field = "team"


class Meeting(VersionedModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    attendees = models.ManyToManyField(TeamMember, blank=True, related_name="meetings_attended")
    # The after-action review's four questions; blank on regular meetings.
    aar_intended = models.TextField("What did we intend to happen?", blank=True)
    aar_happened = models.TextField("What actually happened?", blank=True)
    aar_why = models.TextField("Why was there a difference?", blank=True)
    aar_next = models.TextField("What will we keep or change next time?", blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%Y-%m-%d})"

    @property
    def node(self) -> OrgNode:
        return self.team.node


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ActionItem(VersionedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.TextField()
    owner = models.ForeignKey(
        TeamMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    plan_action = models.ForeignKey(
        "implementation.PlanAction", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="meeting_items",
    )

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
