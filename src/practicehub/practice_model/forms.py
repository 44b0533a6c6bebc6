"""Forms of the practice model pages. They check input shape; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict

from practicehub.core.forms import VersionedForm
from practicehub.practice_model.models import Behavior, ProfileLevel, Wording
from practicehub.practice_model.services.drafts import LABEL_PATTERN


class StartDraftForm(forms.Form):
    label = forms.CharField(
        label="New version label",
        max_length=40,
        help_text="For example 2026.2. Letters, digits, '.', '_' and '-'.",
        validators=[RegexValidator(f"^{LABEL_PATTERN.pattern}$",
                                   "Use letters, digits, '.', '_' and '-', starting with a "
                                   "letter or digit.")],
    )


class BehaviorForm(VersionedForm):
    """The text, wording and one descriptor per profile level of one behavior."""

    text = forms.CharField(label="Behavior", widget=forms.Textarea(attrs={"rows": 3}))
    wording = forms.ChoiceField(
        label="Wording", choices=Wording.choices,
        help_text="Say whether this is the official text or your own.",
    )

    def __init__(self, data: QueryDict | None, *, behavior: Behavior,
                 levels: list[ProfileLevel]) -> None:
        texts = {d.level_id: d.text for d in behavior.descriptors.all()}
        initial: dict[str, Any] = {"text": behavior.text, "wording": behavior.wording,
                                   "edit_version": behavior.edit_version}
        initial |= {self.level_field(level): texts.get(level.pk, "") for level in levels}
        super().__init__(data, initial=initial)
        self.levels = levels
        for level in levels:
            self.fields[self.level_field(level)] = forms.CharField(
                label=f"{level.label} (rank {level.rank})",
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=f"What this behavior looks like at the {level.label} level.",
            )

    @staticmethod
    def level_field(level: ProfileLevel) -> str:
        return f"level_{level.code}"

    def descriptors(self) -> dict[str, str]:
        return {level.code: self.cleaned_data[self.level_field(level)] for level in self.levels}
