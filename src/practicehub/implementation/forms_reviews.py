"""Forms of reviews and of plan steps after they are written (edit, close); the rules live in
``services/reviews.py`` and ``services/plan_steps.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from practicehub.accounts.models import OrgNode
from practicehub.core.forms import VersionedForm
from practicehub.core.services.listing import ListFilters
from practicehub.implementation.forms import SharedPageForm
from practicehub.implementation.models import (
    ActionStatus,
    Dimension,
    Meeting,
    Objective,
    Priority,
    Review,
    ReviewKind,
    Team,
)


def _optional(queryset: QuerySet[Any], label: str) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(queryset=queryset, required=False, label=label)


class ReviewEditForm(VersionedForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=ReviewKind.choices, label="Kind of review")
    held_on = forms.DateField(label="Held on")
    team = _optional(Team.objects.none(), "Team (optional)")
    meeting = _optional(Meeting.objects.none(), "Meeting it was part of (optional)")
    notes = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, teams: QuerySet[Team], meetings: QuerySet[Meeting],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class ReviewForm(ReviewEditForm):
    """A new review: the site it is for comes first, and no version yet."""

    def __init__(self, *args: Any, nodes: list[OrgNode], teams: QuerySet[Team],
                 meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, teams=teams, meetings=meetings, **kwargs)
        del self.fields["edit_version"]
        site = forms.ModelChoiceField(
            queryset=OrgNode.objects.filter(pk__in=[n.pk for n in nodes]), label="Site")
        self.fields = {"node": site, **self.fields}


class ObjectiveChoice(forms.ModelChoiceField[Objective]):
    def label_from_instance(self, obj: Objective) -> str:
        return f"{obj.plan.title}: {str(obj)[:70]}"


class ReviewDecisionForm(SharedPageForm):
    id_prefix = "decision"
    text = forms.CharField(widget=forms.Textarea, label="Decision")
    objective = ObjectiveChoice(
        queryset=Objective.objects.none(), required=False, empty_label="No action step",
        label="Add it as an action step under the objective (optional)")
    action_text = forms.CharField(
        required=False, label="Action step wording",
        help_text="Leave blank to use the decision's own words.")
    responsible_team = _optional(Team.objects.none(), "Responsible team")
    responsible = forms.CharField(max_length=200, required=False,
                                  label="Or the responsible person")
    target_on = forms.DateField(required=False, label="Target date")

    def __init__(self, *args: Any, objectives: QuerySet[Objective], teams: QuerySet[Team],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["objective"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = objectives
        self.fields["responsible_team"].queryset = teams  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("objective") is not None:
            if not (data.get("responsible") or "").strip() and not data.get("responsible_team"):
                self.add_error("responsible", "Name the team or person responsible for the "
                                              "new step.")
            if data.get("target_on") is None:
                self.add_error("target_on", "Give the new step a target date.")
        return data


def _years(reviews: QuerySet[Review]) -> list[tuple[str, str]]:
    years = sorted({d.year for d in reviews.dates("held_on", "year")}, reverse=True)
    return [("", "Any year"), *((str(y), str(y)) for y in years)]


class ReviewFilters(ListFilters):
    site = forms.ModelChoiceField(queryset=OrgNode.objects.none(), required=False,
                                  label="Site", empty_label="Any site")
    kind = forms.ChoiceField(choices=[("", "Any kind"), *ReviewKind.choices], required=False,
                             label="Kind of review")
    year = forms.ChoiceField(choices=[("", "Any year")], required=False, label="Year")

    def __init__(self, *args: Any, reviews: QuerySet[Review], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = OrgNode.objects.filter(  # type: ignore[attr-defined]
            pk__in=reviews.values("node")).order_by("name")
        self.fields["year"].choices = _years(reviews)  # type: ignore[attr-defined]

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        data = self.cleaned_data
        if data.get("site"):
            rows = rows.filter(node__path__startswith=data["site"].path)
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("year"):
            rows = rows.filter(held_on__year=int(data["year"]))
        return rows


class PriorityEditForm(VersionedForm):
    dimension = forms.ChoiceField(choices=Dimension.choices)
    text = forms.CharField(widget=forms.Textarea, label="Priority")


class ObjectiveEditForm(VersionedForm):
    text = forms.CharField(widget=forms.Textarea, label="Objective")
    priority = _optional(Priority.objects.none(), "Under the priority")

    def __init__(self, *args: Any, priorities: QuerySet[Priority], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities  # type: ignore[attr-defined]


class ObjectiveCloseForm(VersionedForm):
    closed_on = forms.DateField(required=False, label="Closed on",
                                help_text="Leave blank to reopen the objective.")


class PlanActionEditForm(VersionedForm):
    text = forms.CharField(widget=forms.Textarea, label="Action step")
    responsible = forms.CharField(max_length=200, label="Responsible person or team")
    target_on = forms.DateField(label="Target date")
    supports_needed = forms.CharField(required=False, label="Supports needed")
    status = forms.ChoiceField(choices=ActionStatus.choices)
    done_on = forms.DateField(required=False, label="Closed on (done or dropped)",
                              help_text="The day the step was done or dropped.")


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


def initial_of(record: Any, names: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    """A record's fields as an edit form starts from, with its version."""
    return {**{name: getattr(record, name) for name in names},
            "edit_version": record.edit_version, **extra}

