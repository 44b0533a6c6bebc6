"""Forms of the implementation-support profile pages: validation only; rules live in services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet

from practicehub.accounts.models import User
from practicehub.core.services.listing import ListFilters
from practicehub.fidelity.models import Mark, RaterRelation
from practicehub.fidelity.scales import ScaleKind, scale_of
from practicehub.fidelity.services.observations import Entry, parse_entry
from practicehub.implementation.models import Team
from practicehub.practice_model.services.profiles import Competency

RELATION_WORDS = {RaterRelation.SELF: "yourself", RaterRelation.PEER: "as a peer",
                  RaterRelation.LEAD: "as their lead"}


def _whom_label(team: Team, person: User, relation: RaterRelation, me: User) -> str:
    who = "Yourself" if person.pk == me.pk else f"{person} ({RELATION_WORDS[relation]})"
    return f"{who} — {team}"


class RateForm(forms.Form):
    """Whom (a team and a person, as one choice), when, and one choice per competency."""

    whom = forms.ChoiceField(label="Whom you rate")
    rated_on = forms.DateField(label="Date of the rating")
    notes = forms.CharField(widget=forms.Textarea, required=False, label="Notes")

    def __init__(self, *args: Any, me: User,
                 choices: list[tuple[Team, User, RaterRelation]],
                 competencies: list[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pairs = {f"{team.pk}:{person.pk}": (team, person) for team, person, _ in choices}
        self.fields["whom"].choices = [  # type: ignore[attr-defined]
            (f"{team.pk}:{person.pk}", _whom_label(team, person, relation, me))
            for team, person, relation in choices]
        points = [(str(value), label) for value, label in scale_of(ScaleKind.PROFILE).points]
        options = [*points, (Mark.NOT_OBSERVED, "Not observed"),
                   (Mark.NOT_APPLICABLE, "Not applicable")]
        self.codes = [c.code for c in competencies]
        for competency in competencies:
            self.fields[f"c_{competency.code}"] = forms.ChoiceField(
                choices=options, initial=Mark.NOT_OBSERVED, label=competency.label,
                help_text=" ".join(f"{level}: {text}" for level, text in competency.descriptors))

    def chosen(self) -> tuple[Team, User]:
        return self.pairs[self.cleaned_data["whom"]]

    def entries(self) -> dict[str, Entry]:
        values = scale_of(ScaleKind.PROFILE).values
        return {code: parse_entry(self.cleaned_data[f"c_{code}"], values) for code in self.codes}


class ResultFilters(forms.Form):
    """Which teams (one team, or a region's teams), which domain and which quarters."""

    team = forms.ChoiceField(required=False, label="Team")
    region = forms.ChoiceField(required=False, label="Region")
    domain = forms.ChoiceField(required=False, label="Domain the chart draws")
    since = forms.DateField(required=False, label="From")
    until = forms.DateField(required=False, label="Until")

    def __init__(self, *args: Any, teams: list[Team], domains: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = teams
        self.fields["team"].choices = [  # type: ignore[attr-defined]
            ("", "Every team you see"), *[(str(t.pk), str(t)) for t in teams]]
        places = {t.node.code: t.node.name for t in teams}
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", "Every region"), *sorted(places.items(), key=lambda item: item[1])]
        self.fields["domain"].choices = [  # type: ignore[attr-defined]
            ("", "Every domain"), *domains]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return cleaned

    def chosen_teams(self) -> list[Team]:
        team, region = self.cleaned_data.get("team"), self.cleaned_data.get("region")
        return [t for t in self.teams
                if (not team or str(t.pk) == team) and (not region or t.node.code == region)]

    def period(self, today: date) -> tuple[date, date]:
        """The quarters asked for; by default the four quarters up to today."""
        until = self.cleaned_data.get("until") or today
        quarter = date(until.year, (until.month - 1) // 3 * 3 + 1, 1)
        months = quarter.year * 12 + quarter.month - 1 - 9
        since = self.cleaned_data.get("since") or date(months // 12, months % 12 + 1, 1)
        return since, until


class RatingFilters(ListFilters):
    person = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                    label="Person rated", empty_label="Anyone")
    relation = forms.ChoiceField(choices=[("", "Any rater"), *RaterRelation.choices],
                                 required=False, label="Rated by")
    since = forms.DateField(required=False, label="Rated from")
    until = forms.DateField(required=False, label="Rated until")

    def __init__(self, *args: Any, ratings: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=ratings.values("worker")).order_by("last_name", "first_name")

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        data = self.cleaned_data
        if data.get("person"):
            rows = rows.filter(worker=data["person"])
        if data.get("relation"):
            rows = rows.filter(rater_relation=data["relation"])
        if data.get("since"):
            rows = rows.filter(observed_on__gte=data["since"])
        if data.get("until"):
            rows = rows.filter(observed_on__lte=data["until"])
        return rows


