"""Form parts shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from practicehub.core.services.versioning import StaleEdit


class VersionedForm(forms.Form):
    """An edit form of a versioned record: carries the ``edit_version`` the page was drawn from.

    Give it ``initial={"edit_version": record.edit_version, ...}``; pass
    ``form.expected_version()`` to the service; on ``StaleEdit`` call ``refuse_stale`` and render
    the page again with ``form.page_status()``: the person's input stays in the form, the
    refusal above it (``core/includes/form_errors.html`` shows it), and the hidden version moves
    to the one now saved so a deliberate second save goes through.
    """

    edit_version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1,
        error_messages={"required": "The page did not say which saved version you edited; "
                        "open the page again and enter your changes there."})

    conflict: StaleEdit | None = None

    def expected_version(self) -> int:
        version = self.cleaned_data["edit_version"]
        assert isinstance(version, int)
        return version

    def edits(self) -> dict[str, Any]:
        """What the person typed, without the version."""
        return {k: v for k, v in self.cleaned_data.items() if k != "edit_version"}

    def refuse_stale(self, error: StaleEdit) -> None:
        self.conflict = error
        if error.current_version is not None and isinstance(self.data, QueryDict):
            data = self.data.copy()
            data["edit_version"] = str(error.current_version)
            self.data = data

    def page_status(self) -> int:
        return 409 if self.conflict else 400 if self.errors else 200
