"""Forms: validation only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from practicehub.accounts.models import OrgNode, User
from practicehub.core.forms import VersionedForm
from practicehub.core.services.listing import ListFilters
from practicehub.core.uploads import UploadField
from practicehub.fidelity.models import (
    Mark,
    Observation,
    ObservationTool,
    ObserverKind,
    Setting,
    Status,
)
from practicehub.fidelity.scales import ScaleKind
from practicehub.fidelity.services.observations import Entry, parse_entry
from practicehub.practice_model.models import Behavior, ModelVersion


class StartForm(forms.Form):
    tool = forms.ModelChoiceField(queryset=ObservationTool.objects.all(), label="Tool")
    worker = forms.ModelChoiceField(queryset=User.objects.none(), label="Worker observed")
    observed_on = forms.DateField(label="Date observed")
    setting = forms.ChoiceField(choices=Setting.choices, label="Setting")
    observer_kind = forms.ChoiceField(choices=ObserverKind.choices, label="You observe as")
    paired_with = forms.ModelChoiceField(
        queryset=Observation.objects.none(), required=False, label="Second rating of",
        help_text="Leave empty unless you rated a session another observer also rated.")

    def __init__(self, *args: Any, workers: Any, firsts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers  # type: ignore[attr-defined]
        self.fields["paired_with"].queryset = firsts  # type: ignore[attr-defined]


def rating_choices(observation: Observation) -> list[tuple[str, str]]:
    points = [(str(value), label) for value, label in observation.tool.scale_def.points]
    return [*points, (Mark.NOT_OBSERVED, "Not observed"), (Mark.NOT_APPLICABLE, "Not applicable")]


class RatingsForm(forms.Form):
    """One choice per behavior of the tool, named by behavior id."""

    def __init__(self, *args: Any, observation: Observation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.observation = observation
        choices = rating_choices(observation)
        for rating in observation.ratings.select_related("behavior"):
            initial = str(rating.score) if rating.mark == Mark.RATED else rating.mark
            self.fields[f"b{rating.behavior_id}"] = forms.ChoiceField(
                choices=choices, initial=initial,
                label=f"{rating.behavior.code} {rating.behavior.text}")

    def entries(self) -> dict[int, Entry]:
        values = self.observation.tool.scale_def.values
        return {int(name[1:]): parse_entry(value, values)
                for name, value in self.cleaned_data.items() if name.startswith("b")}


class DraftForm(VersionedForm, RatingsForm):
    notes = forms.CharField(widget=forms.Textarea, required=False, label="Notes")


class SubmitForm(VersionedForm):
    """Confirms locking a draft as it was shown (a change since refuses the submission)."""


class AmendForm(VersionedForm, RatingsForm):
    reason = forms.CharField(widget=forms.Textarea, label="Reason for the amendment")


class ImportForm(forms.Form):
    tool = forms.ModelChoiceField(queryset=ObservationTool.objects.all(), label="Tool")
    file_format = forms.ChoiceField(
        choices=[("csv", "practicehub CSV"), ("redcap", "REDCap export (raw CSV)")],
        label="File format")
    file = UploadField(label="File", widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}))


class ToolForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name")
    version = forms.ModelChoiceField(queryset=ModelVersion.objects.published(),
                                     label="Practice model version")
    scale = forms.ChoiceField(choices=ScaleKind.choices, label="Rating scale")
    behaviors = forms.ModelMultipleChoiceField(
        queryset=Behavior.objects.select_related("version").order_by("version_id", "order"),
        label="Behaviors observed", widget=forms.CheckboxSelectMultiple)
    settings = forms.MultipleChoiceField(choices=Setting.choices, label="Settings",
                                         widget=forms.CheckboxSelectMultiple)
    proficient_score = forms.IntegerField(
        required=False, label="Proficient point",
        help_text="Ratings at or above this point count as proficient; empty for the scale's "
        "usual point.")
    observation_share = forms.IntegerField(initial=80, label="Percent of behaviors proficient")
    worker_latest = forms.IntegerField(initial=3, label="Latest observations considered")
    worker_meeting = forms.IntegerField(initial=3, label="Of which must meet fidelity")


class GoalForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea, label="Goal")
    behavior = forms.ModelChoiceField(queryset=Behavior.objects.none(), required=False,
                                      label="Behavior")
    target_on = forms.DateField(required=False, label="Target date")

    def __init__(self, *args: Any, behaviors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["behavior"].queryset = behaviors  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    held_on = forms.DateField(label="Date of the session")
    notes = forms.CharField(widget=forms.Textarea, label="What the session covered")
    follow_ups = forms.CharField(widget=forms.Textarea, required=False, label="Follow-ups")


class PlanStartForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), label="Person coached")
    tool = forms.ModelChoiceField(
        queryset=ObservationTool.objects.all(), required=False,
        label="Pre-fill focus behaviors from",
        help_text="The behaviors the person was rated below proficient on with this tool.")
    behavior = forms.ModelChoiceField(queryset=Behavior.objects.none(), required=False,
                                      label="Also focus on")

    def __init__(self, *args: Any, people: Any, behaviors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        self.fields["behavior"].queryset = behaviors  # type: ignore[attr-defined]


class PlanCloseForm(VersionedForm):
    closed_on = forms.DateField(label="Closed on")


class GoalMetForm(VersionedForm):
    achieved_on = forms.DateField(label="Met on")


class ObservationFilters(ListFilters):
    worker = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                    label="Worker", empty_label="Any worker")
    unit = forms.ModelChoiceField(queryset=OrgNode.objects.none(), required=False,
                                  label="Unit", empty_label="Any unit")
    tool = forms.ModelChoiceField(queryset=ObservationTool.objects.all(), required=False,
                                  label="Tool", empty_label="Any tool")
    status = forms.ChoiceField(choices=[("", "Any status"), *Status.choices], required=False)
    since = forms.DateField(required=False, label="Observed from")
    until = forms.DateField(required=False, label="Observed until")

    def __init__(self, *args: Any, observations: QuerySet[Observation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=observations.values("worker")).order_by("last_name", "first_name")
        self.fields["unit"].queryset = OrgNode.objects.filter(  # type: ignore[attr-defined]
            pk__in=observations.values("node")).order_by("name")

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        data = self.cleaned_data
        for name in ("worker", "tool", "status"):
            if data.get(name):
                rows = rows.filter(**{name: data[name]})
        if data.get("unit"):
            rows = rows.filter(node__path__startswith=data["unit"].path)
        if data.get("since"):
            rows = rows.filter(observed_on__gte=data["since"])
        if data.get("until"):
            rows = rows.filter(observed_on__lte=data["until"])
        return rows
