"""Instruments (loaded from YAML), administrations, item scores and consensus votes."""

from __future__ import annotations

from django.db import models

from practicehub.accounts.models import OrgNode, User
from practicehub.accounts.scoping import NodeScopedQuerySet
from practicehub.core.services.versioning import VersionedModel
from practicehub.implementation.models import Team


class Instrument(models.Model):
    """One version of an instrument; ``spec`` is the checked YAML content, expanded."""

    key = models.SlugField(max_length=60)
    version = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    spec = models.JSONField()
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="instrument_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"


class Method(models.TextChoices):
    INDIVIDUAL = "individual", "Individual self-assessment"
    CONSENSUS = "consensus", "Facilitated team consensus"


class AdministrationQuerySet(NodeScopedQuerySet["Administration"]):
    """In scope, or of a team the user sits on (partners see their own teams' results)."""

    member_field = "team"


class Administration(VersionedModel):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT,
                                   related_name="administrations")
    node = models.ForeignKey(OrgNode, on_delete=models.PROTECT, related_name="administrations")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="administrations")
    administered_on = models.DateField()
    method = models.CharField(max_length=12, choices=Method.choices)
    facilitator = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    notes = models.TextField(blank=True)

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["-administered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.instrument.name} at {self.node} on {self.administered_on:%Y-%m-%d}"


class ItemScore(models.Model):
    """The score an administration gives an item: the respondent's answer or the consensus."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE,
                                       related_name="scores")
    item = models.CharField(max_length=60)
    value = models.IntegerField()

    class Meta:
        ordering = ["administration", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "item"], name="item_scored_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item} = {self.value}"


class Vote(models.Model):
    """One member's vote on an item before the team agreed its consensus score."""

    administration = models.ForeignKey(Administration, on_delete=models.CASCADE,
                                       related_name="votes")
    item = models.CharField(max_length=60)
    voter = models.CharField(max_length=200)
    value = models.IntegerField()

    class Meta:
        ordering = ["administration", "item", "voter"]
        constraints = [
            models.UniqueConstraint(fields=["administration", "item", "voter"],
                                    name="one_vote_per_voter_item"),
        ]

    def __str__(self) -> str:
        return f"{self.voter}: {self.item} = {self.value}"
