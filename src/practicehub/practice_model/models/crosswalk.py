"""A crosswalk: how the elements and behaviors of one published model version map onto
another's (``practice_model/data/crosswalks/*.yaml``, docs/practice-model-format.md#crosswalks).

Each link reads "the *from* item is the same as / narrower than / broader than the *to* item";
a link without a target says the from item has no counterpart (relation ``none``). Both versions
are published, so the codes a link points at never change under it.
"""

from __future__ import annotations

from django.db import models

from practicehub.practice_model.models.content import Behavior, Element
from practicehub.practice_model.models.version import ModelVersion


class Relation(models.TextChoices):
    SAME = "same", "same as"
    NARROWER = "narrower", "narrower than"
    BROADER = "broader", "broader than"
    NONE = "none", "no counterpart"

    @property
    def inverse(self) -> Relation:
        """The relation read from the other side: A narrower than B is B broader than A."""
        flipped = {Relation.NARROWER: Relation.BROADER, Relation.BROADER: Relation.NARROWER}
        return flipped.get(self, self)


class Crosswalk(models.Model):
    """The mapping of one version (``source``) onto another (``target``); one per pair."""

    source = models.ForeignKey(ModelVersion, on_delete=models.PROTECT,
                               related_name="crosswalks_from")
    target = models.ForeignKey(ModelVersion, on_delete=models.PROTECT,
                               related_name="crosswalks_to")
    provenance = models.TextField(blank=True, help_text="Whose reading of the two models this is.")
    loaded_from = models.CharField(max_length=300, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source__key", "target__key"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"],
                                    name="practice_model_crosswalk_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.source.ref} → {self.target.ref}"


class CrosswalkLink(models.Model):
    """One from code against one to code (or none); shared by element and behavior links."""

    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="%(class)ss")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    note = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self) -> str:
        source = getattr(self, "source", None)
        target = getattr(self, "target", None)
        return f"{getattr(source, 'code', '?')} {self.relation} {getattr(target, 'code', '—')}"


class ElementLink(CrosswalkLink):
    source = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey(Element, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="links_in")

    class Meta(CrosswalkLink.Meta):
        constraints = [
            models.UniqueConstraint(fields=["crosswalk", "source", "target"],
                                    name="practice_model_elementlink_unique"),
            models.CheckConstraint(
                condition=models.Q(relation="none", target__isnull=True)
                | (~models.Q(relation="none") & models.Q(target__isnull=False)),
                name="practice_model_elementlink_target_unless_none"),
        ]


class BehaviorLink(CrosswalkLink):
    source = models.ForeignKey(Behavior, on_delete=models.PROTECT, related_name="links_out")
    target = models.ForeignKey(Behavior, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="links_in")

    class Meta(CrosswalkLink.Meta):
        constraints = [
            models.UniqueConstraint(fields=["crosswalk", "source", "target"],
                                    name="practice_model_behaviorlink_unique"),
            models.CheckConstraint(
                condition=models.Q(relation="none", target__isnull=True)
                | (~models.Q(relation="none") & models.Q(target__isnull=False)),
                name="practice_model_behaviorlink_target_unless_none"),
        ]
