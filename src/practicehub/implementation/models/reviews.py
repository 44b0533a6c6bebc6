"""Reviews of progress: a team meeting or a strategic call that looks back over a site's work
since its last review, and the decisions taken in it (which can create plan action steps)."""

from __future__ import annotations

from django.db import models

from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.scoping import NodeScopedQuerySet
from practicehub.core.services.versioning import VersionedModel
from practicehub.implementation.models.plans import PlanAction
from practicehub.implementation.models.teams import Meeting, Team


class ReviewKind(models.TextChoices):
    TEAM_MEETING = "team_meeting", "Team meeting review"
    STRATEGIC_CALL = "strategic_call", "Strategic call"


class ReviewQuerySet(NodeScopedQuerySet["Review"]):
    """Reviews in scope, plus the reviews of teams the user sits on (as with their meetings)."""

    member_field = "team"


class Review(VersionedModel):
    """A review held for a site on a date; it gathers what changed since the site's review
    before it (or since its plans started)."""

    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="reviews",
                             verbose_name="site")
    kind = models.CharField(max_length=16, choices=ReviewKind.choices,
                            default=ReviewKind.TEAM_MEETING)
    held_on = models.DateField(verbose_name="held on")
    title = models.CharField(max_length=200)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="reviews")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="reviews")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%Y-%m-%d})"


class ReviewDecision(models.Model):
    """A decision taken in a review; ``action`` is the plan action step it created, if any."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    action = models.OneToOneField(PlanAction, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="review_decision")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def node(self) -> OrgNode:
        return self.review.node
