"""Forms: validation of what people type; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from practicehub.accounts.models import OrgNode, User
from practicehub.assessments.models import Administration, Instrument
from practicehub.core.forms import VersionedForm
from practicehub.core.services.listing import ListFilters
from practicehub.fidelity.models import ObservationTool
from practicehub.implementation.models import (
    ActionStatus,
    ActivityKind,
    Cadence,
    ContentLevel,
    Dimension,
    Direction,
    Driver,
    Indicator,
    IndicatorKind,
    ItemStatus,
    LessonKind,
    MeetingKind,
    Mode,
    Objective,
    PlanKind,
    PlanStatus,
    Rating,
    Sharing,
    Stage,
    SupportActivity,
    Team,
    TeamKind,
    TeamMember,
    TeamRole,
)
from practicehub.implementation.services.indicators import is_share, subscale_names
from practicehub.practice_model.models import CapacityArea, ModelVersion, Practice
from practicehub.practice_model.services.profiles import competency_choices


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required)


def _nodes(choices: list[OrgNode]) -> forms.ModelChoiceField[OrgNode]:
    return forms.ModelChoiceField(queryset=OrgNode.objects.filter(pk__in=[n.pk for n in choices]),
                                  label="Site")


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=TeamKind.choices, label="Kind of team")
    cadence = forms.ChoiceField(choices=Cadence.choices, label="Meeting cadence")
    formed_on = _date("Formed on", required=False)
    purpose = forms.CharField(widget=forms.Textarea, required=False)
    decision_authority = forms.CharField(widget=forms.Textarea, required=False,
                                         label="Decision authority")
    communication_protocol = forms.CharField(widget=forms.Textarea, required=False,
                                             label="Communication protocol")

    def __init__(self, *args: Any, nodes: list[OrgNode], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"node": _nodes(nodes), **self.fields}


class CharterForm(VersionedForm):
    purpose = forms.CharField(widget=forms.Textarea, required=False)
    decision_authority = forms.CharField(widget=forms.Textarea, required=False,
                                         label="Decision authority")
    communication_protocol = forms.CharField(widget=forms.Textarea, required=False,
                                             label="Communication protocol")
    cadence = forms.ChoiceField(choices=Cadence.choices, label="Meeting cadence")


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                  label="Person with an account")
    name = forms.CharField(max_length=200, required=False, label="Or an external member's name")
    organisation = forms.ModelChoiceField(queryset=OrgNode.objects.filter(kind="partner"),
                                          required=False, label="Partner organisation")
    role = forms.ChoiceField(choices=TeamRole.choices, initial=TeamRole.MEMBER,
                             label="Role on the team")

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = people


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200)
    held_on = _date("Held on")
    kind = forms.ChoiceField(choices=MeetingKind.choices)
    agenda = forms.CharField(widget=forms.Textarea, required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    attendees = forms.ModelMultipleChoiceField(queryset=TeamMember.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    aar_intended = forms.CharField(widget=forms.Textarea, required=False,
                                   label="After-action review: what did we intend to happen?")
    aar_happened = forms.CharField(widget=forms.Textarea, required=False,
                                   label="What actually happened?")
    aar_why = forms.CharField(widget=forms.Textarea, required=False,
                              label="Why was there a difference?")
    aar_next = forms.CharField(widget=forms.Textarea, required=False,
                               label="What will we keep or change next time?")

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = team.members.select_related("user")


class MeetingEditForm(VersionedForm):
    title = forms.CharField(max_length=200)
    held_on = _date("Held on")
    kind = forms.ChoiceField(choices=MeetingKind.choices)
    agenda = forms.CharField(widget=forms.Textarea, required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    aar_intended = MeetingForm.base_fields["aar_intended"]
    aar_happened = MeetingForm.base_fields["aar_happened"]
    aar_why = MeetingForm.base_fields["aar_why"]
    aar_next = MeetingForm.base_fields["aar_next"]


class SharedPageForm(forms.Form):
    """A form drawn beside others on one page (a plan's priority, objective and action step
    forms; a meeting's decision and action item forms): its ids carry its own prefix, so each
    label names its own field rather than the first ``id_text`` of the page."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class DecisionForm(SharedPageForm):
    id_prefix = "decision"
    text = forms.CharField(widget=forms.Textarea, label="Decision")


class ActionItemForm(SharedPageForm):
    id_prefix = "item"
    text = forms.CharField(widget=forms.Textarea, label="Action item")
    owner = forms.ModelChoiceField(queryset=TeamMember.objects.none(), required=False)
    due_on = _date("Due on", required=False)
    plan_action = forms.ChoiceField(required=False, label="Linked plan action")

    def __init__(self, *args: Any, team: Team, plan_actions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = team.members.select_related("user")
        link = self.fields["plan_action"]
        assert isinstance(link, forms.ChoiceField)
        link.choices = [("", "—"), *[(str(a.pk), str(a)) for a in plan_actions]]


class ItemStatusForm(VersionedForm):
    status = forms.ChoiceField(choices=ItemStatus.choices)


class PlanForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=PlanKind.choices, label="Kind of plan")
    status = forms.ChoiceField(choices=PlanStatus.choices)
    planning_team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False,
                                           label="Planning team")
    start_on = _date("Start date")
    reassess_on = _date("Reassessment date")
    definition_of_success = forms.CharField(widget=forms.Textarea, required=False,
                                            label="What success looks like")
    supports_needed = forms.CharField(widget=forms.Textarea, required=False,
                                      label="Supports needed")

    def __init__(self, *args: Any, nodes: list[OrgNode], teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"node": _nodes(nodes), **self.fields}
        team_field = self.fields["planning_team"]
        assert isinstance(team_field, forms.ModelChoiceField)
        team_field.queryset = teams


class PlanEditForm(VersionedForm):
    title = forms.CharField(max_length=200)
    status = forms.ChoiceField(choices=PlanStatus.choices)
    start_on = _date("Start date")
    reassess_on = _date("Reassessment date")
    definition_of_success = PlanForm.base_fields["definition_of_success"]
    supports_needed = PlanForm.base_fields["supports_needed"]


class PriorityForm(SharedPageForm):
    id_prefix = "priority"
    dimension = forms.ChoiceField(choices=Dimension.choices)
    text = forms.CharField(widget=forms.Textarea, label="Priority")


class ObjectiveForm(SharedPageForm):
    id_prefix = "objective"
    text = forms.CharField(widget=forms.Textarea, label="Objective")


class PlanActionForm(SharedPageForm):
    id_prefix = "action"
    objective = forms.ModelChoiceField(queryset=Objective.objects.none())
    text = forms.CharField(widget=forms.Textarea, label="Action step")
    responsible = forms.CharField(max_length=200, label="Responsible person or team")
    target_on = _date("Target date")
    supports_needed = forms.CharField(required=False, label="Supports needed")

    def __init__(self, *args: Any, objectives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["objective"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = objectives


class ActionStatusForm(VersionedForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class StageForm(forms.Form):
    model_version = forms.ModelChoiceField(queryset=ModelVersion.objects.published(),
                                           label="Practice model version")
    stage = forms.ChoiceField(choices=Stage.choices)
    entered_on = _date("Entered on")
    evidence = forms.CharField(widget=forms.Textarea, required=False)


class RatingForm(forms.Form):
    model_version = forms.ModelChoiceField(queryset=ModelVersion.objects.published(),
                                           label="Practice model version")
    activity = forms.CharField(max_length=40)
    rating = forms.ChoiceField(choices=Rating.choices)
    completed_on = _date("Established on", required=False)


class SupportActivityForm(forms.Form):
    kind = forms.ChoiceField(choices=ActivityKind.choices, label="Kind of support")
    occurred_on = _date("Date")
    duration_minutes = forms.IntegerField(min_value=1, label="Duration in minutes")
    mode = forms.ChoiceField(choices=Mode.choices)
    summary = forms.CharField(widget=forms.Textarea, required=False)
    providers = forms.ModelMultipleChoiceField(queryset=User.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    provider_organisation = forms.ModelChoiceField(
        queryset=OrgNode.objects.filter(kind__in=["partner", "region"]), required=False,
        label="Providing organisation")
    recipient_teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Teams supported")
    practices = forms.ModelMultipleChoiceField(queryset=Practice.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    capacity_areas = forms.ModelMultipleChoiceField(
        queryset=CapacityArea.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, label="Capacity areas")
    drivers = forms.MultipleChoiceField(choices=Driver.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    # The published implementation-support profile's competencies, read at each form's build.
    competencies = forms.MultipleChoiceField(choices=competency_choices, required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             label="Implementation-support competencies used")
    objectives = forms.ModelMultipleChoiceField(queryset=Objective.objects.none(), required=False,
                                                widget=forms.CheckboxSelectMultiple,
                                                label="Plan objectives served")
    follow_ups = forms.CharField(widget=forms.Textarea, required=False, label="Follow-ups")

    def __init__(self, *args: Any, nodes: list[OrgNode], people: Any, teams: Any,
                 objectives: Any, version: ModelVersion | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"node": _nodes(nodes), **self.fields}
        for name, queryset in (("providers", people), ("recipient_teams", teams),
                               ("objectives", objectives),
                               ("practices", Practice.objects.filter(version=version)),
                               ("capacity_areas", CapacityArea.objects.filter(version=version))):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset


class LessonForm(forms.Form):
    kind = forms.ChoiceField(choices=LessonKind.choices)
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea, label="What was learned")
    link = forms.URLField(required=False, label="Link to the resource")
    sharing = forms.ChoiceField(choices=Sharing.choices)
    practices = forms.ModelMultipleChoiceField(queryset=Practice.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    capacity_areas = forms.ModelMultipleChoiceField(
        queryset=CapacityArea.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, label="Capacity areas")
    drivers = forms.MultipleChoiceField(choices=Driver.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, nodes: list[OrgNode], version: ModelVersion | None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"node": _nodes(nodes), **self.fields}
        for name, model in (("practices", Practice), ("capacity_areas", CapacityArea)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = model.objects.filter(version=version)


class SupportFilters(ListFilters):
    site = forms.ModelChoiceField(queryset=OrgNode.objects.none(), required=False,
                                  label="Site", empty_label="Any site")
    kind = forms.ChoiceField(choices=[("", "Any kind"), *ActivityKind.choices], required=False,
                             label="Kind of support")
    provider = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                      label="Provider", empty_label="Any provider")
    since = forms.DateField(required=False, label="From")
    until = forms.DateField(required=False, label="To")

    def __init__(self, *args: Any, visible: QuerySet[SupportActivity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = OrgNode.objects.filter(  # type: ignore[attr-defined]
            pk__in=visible.values("node")).order_by("name")
        self.fields["provider"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=visible.values("providers")).order_by("last_name", "first_name")

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        data = self.cleaned_data
        if data.get("site"):
            rows = rows.filter(node__path__startswith=data["site"].path)
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
        if data.get("provider"):
            rows = rows.filter(providers=data["provider"])
        if data.get("since"):
            rows = rows.filter(occurred_on__gte=data["since"])
        if data.get("until"):
            rows = rows.filter(occurred_on__lte=data["until"])
        return rows


def _measure_choices() -> list[tuple[str, str]]:
    from practicehub.outcomes.engine.measures import MEASURES

    return [("", "—"), *((spec.id, spec.title) for spec in MEASURES.values())]


def instruments_in_use(node: OrgNode | None) -> QuerySet[Instrument]:
    """The instruments administered at the site or a place under it (every instrument when it
    has none yet, or without a site)."""
    every = Instrument.objects.all()
    if node is None:
        return every
    used = every.filter(key__in=Administration.objects.filter(
        node__path__startswith=node.path).values("instrument__key"))
    return used if used.exists() else every


def _subscale_choices(instruments: QuerySet[Instrument]) -> list[Any]:
    return [("", "Total score"),
            *((str(i), list(subscale_names(i.spec).items())) for i in instruments)]


class IndicatorForm(forms.Form):
    """An objective's indicator. Shares are typed as percents (62.5 for 62.5%); the view turns
    them into the fractions the figures are computed in. ``node``: the plan's site, whose
    instruments in use are offered for an assessment score."""

    kind = forms.ChoiceField(choices=IndicatorKind.choices, label="What is measured")
    measure = forms.ChoiceField(choices=_measure_choices, required=False,
                                label="Outcome measure")
    dimension = forms.ChoiceField(
        choices=[("", "All children"), ("race_ethnicity", "Race and ethnicity"),
                 ("age_band", "Age band"), ("sex", "Sex")],
        required=False, label="About one group of")
    dimension_value = forms.CharField(
        max_length=64, required=False, label="Group code",
        help_text="As the data contract codes it, e.g. black, aian, 1_5, female.")
    tool = forms.ModelChoiceField(queryset=ObservationTool.objects.all(), required=False,
                                  label="Observation tool (fidelity)")
    content_level = forms.ChoiceField(choices=[("", "—"), *ContentLevel.choices],
                                      required=False, label="Share proficient of a")
    content_code = forms.CharField(max_length=64, required=False,
                                   label="Practice or element code",
                                   help_text="The code in the practice model, e.g. engagement.")
    model_version = forms.ModelChoiceField(queryset=ModelVersion.objects.published(),
                                           required=False,
                                           label="Practice model version (stage)")
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.all(), required=False,
                                        label="Assessment instrument (assessment score)")
    subscale = forms.ChoiceField(
        choices=[("", "Total score")], required=False, label="Sub-scale (assessment score)",
        help_text="Blank for the total score, as the results page shows it.")
    baseline_on = _date("Baseline quarter (any date in it)")
    baseline_value = forms.FloatField(
        required=False, label="Baseline value",
        help_text="A percent for shares; a stage number (1 exploration to 4 full "
                  "implementation) for a stage; an assessment score in the instrument's unit "
                  "(percent of the maximum, mean or sum).")
    fill_baseline = forms.BooleanField(required=False,
                                       label="Fill the baseline value from the data")
    target_value = forms.FloatField(label="Target value", help_text="As for the baseline.")
    target_on = _date("Target date")
    direction = forms.ChoiceField(choices=Direction.choices, label="Which way is better")

    def __init__(self, *args: Any, node: OrgNode | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = instruments_in_use(node)
        current = self.initial.get("instrument")
        if isinstance(current, Instrument):
            offered = offered | Instrument.objects.filter(pk=current.pk)
        field = self.fields["instrument"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offered
        choice = self.fields["subscale"]
        assert isinstance(choice, forms.ChoiceField)
        # The offered instruments' sub-scales: the service refuses one the chosen one lacks.
        choice.choices = _subscale_choices(offered)

    def values(self) -> dict[str, Any]:
        """The service's fields, percents turned into fractions."""
        data = {k: v for k, v in self.cleaned_data.items()
                if k not in {"fill_baseline", "edit_version"}}
        probe = Indicator(kind=data["kind"], measure=data["measure"])
        if is_share(probe):
            for name in ("baseline_value", "target_value"):
                if data[name] is not None:
                    data[name] = data[name] / 100
        return data


class IndicatorEditForm(VersionedForm, IndicatorForm):
    pass


def indicator_initial(indicator: Indicator) -> dict[str, Any]:
    """An indicator's fields as the form shows them (shares as percents)."""
    initial = {name: getattr(indicator, name) for name in IndicatorForm.base_fields
               if name != "fill_baseline"}
    if is_share(indicator):
        for name in ("baseline_value", "target_value"):
            if initial[name] is not None:
                initial[name] = round(initial[name] * 100, 4)
    return {**initial, "edit_version": indicator.edit_version}
