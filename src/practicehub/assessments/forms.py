"""Forms for starting an administration and adding a suggestion to a plan."""

from __future__ import annotations

from typing import Any

from django import forms

from practicehub.accounts.models import OrgNode
from practicehub.assessments.models import Instrument, Method
from practicehub.implementation.models import Plan, Team


class AdministrationForm(forms.Form):
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.all())
    node = forms.ModelChoiceField(queryset=OrgNode.objects.none(), label="Site")
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False,
                                  label="Team taking it")
    administered_on = forms.DateField(label="Date")
    method = forms.ChoiceField(choices=Method.choices)
    notes = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, nodes: list[OrgNode], teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        node_field = self.fields["node"]
        team_field = self.fields["team"]
        assert isinstance(node_field, forms.ModelChoiceField)
        assert isinstance(team_field, forms.ModelChoiceField)
        node_field.queryset = OrgNode.objects.filter(pk__in=[n.pk for n in nodes])
        team_field.queryset = teams


class SuggestionForm(forms.Form):
    item = forms.CharField(max_length=60)
    plan = forms.ModelChoiceField(queryset=Plan.objects.none())
    target_on = forms.DateField(label="Target date")

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = plans
