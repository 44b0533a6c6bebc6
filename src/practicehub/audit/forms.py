from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from practicehub.audit.actions import Action
from practicehub.audit.services.browse import EventFilter


class EventFilterForm(forms.Form):
    action = forms.ChoiceField(choices=[("", "Any action"), *Action.choices], required=False)
    actor = forms.CharField(required=False, max_length=150, label="Actor (user name)")
    object_type = forms.ChoiceField(choices=[], required=False, label="Record type")
    node_code = forms.SlugField(required=False, max_length=64, label="Site code")
    since = forms.DateField(required=False, label="From")
    until = forms.DateField(required=False, label="To")

    def __init__(self, *args: Any, object_types: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["object_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Any record type"), *((kind, kind) for kind in object_types)]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return cleaned

    def to_filter(self) -> EventFilter:
        data = self.cleaned_data
        return EventFilter(
            action=data.get("action") or "", actor=data.get("actor") or "",
            object_type=data.get("object_type") or "", node_code=data.get("node_code") or "",
            since=data.get("since"), until=data.get("until"),
        )
