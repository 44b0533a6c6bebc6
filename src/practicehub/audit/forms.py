from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from practicehub.audit.actions import Action
from practicehub.audit.services.browse import EventFilter, filter_events
from practicehub.core.services.listing import ListFilters


class EventFilterForm(ListFilters):
    text = forms.CharField(required=False, max_length=200, label="Words",
                           help_text="Found in the actor, record, site or request id.")
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

    def apply(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return filter_events(rows, self.to_filter())

    def to_filter(self) -> EventFilter:
        data = self.cleaned_data
        return EventFilter(
            action=data.get("action") or "", actor=data.get("actor") or "",
            object_type=data.get("object_type") or "", node_code=data.get("node_code") or "",
            since=data.get("since"), until=data.get("until"), text=data.get("text") or "",
        )
