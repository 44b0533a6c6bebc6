"""Form parts shared by every app."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
from django.http import QueryDict
from django.utils.safestring import SafeString

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


ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"

#: The USWDS class each kind of widget wears; widgets not named here (hidden, file) keep theirs.
WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Select: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.FileInput: "usa-file-input",
    forms.CheckboxInput: "usa-checkbox__input",
    Input: "usa-input",
}

#: Choice widgets drawn as USWDS checkboxes and radio buttons (input before label, own classes).
OPTION_TEMPLATES: dict[type[forms.Widget], str] = {
    forms.CheckboxSelectMultiple: "core/forms/widgets/checkbox_option.html",
    forms.RadioSelect: "core/forms/widgets/radio_option.html",
}


def iso_widget(widget: forms.Widget) -> forms.Widget:
    """A browser date (or date-time) picker sending and showing ISO values, whatever the locale.

    Django's ``DateInput`` is a text box showing the date in the site's display format
    ("Dec. 1, 2026"), which its own field then refuses; a ``type=date`` input always speaks ISO.
    """
    if isinstance(widget, forms.DateTimeInput) and widget.input_type == "text":
        stamp = deepcopy(widget)
        stamp.input_type, stamp.format = "datetime-local", ISO_DATETIME
        return stamp
    if isinstance(widget, forms.DateInput) and widget.input_type == "text":
        day = deepcopy(widget)
        day.input_type, day.format = "date", ISO_DATE
        return day
    if type(widget) in OPTION_TEMPLATES:
        options = deepcopy(widget)
        options.option_template_name = OPTION_TEMPLATES[type(widget)]  # type: ignore[attr-defined]
        options.template_name = "core/forms/widgets/options.html"
        return options
    return widget


def widget_class(widget: forms.Widget, invalid: bool) -> str:
    if isinstance(widget, (forms.HiddenInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
        return ""
    for kind, css in WIDGET_CLASSES.items():
        if isinstance(widget, kind):
            error = " usa-input--error" if invalid and css in {"usa-input", "usa-textarea"} else ""
            return css + error
    return ""


class UswdsBoundField(forms.BoundField):
    """Django's own widget rendering (types, ``rows``, ``min``…) with the USWDS classes added."""

    def as_widget(self, widget: forms.Widget | None = None, attrs: dict[str, Any] | None = None,
                  only_initial: bool = False) -> SafeString:
        chosen = iso_widget(widget or self.field.widget)
        attrs = dict(attrs or {})
        css = widget_class(chosen, bool(self.errors))
        if css:
            attrs["class"] = " ".join(c for c in (chosen.attrs.get("class", ""), css) if c)
        return super().as_widget(chosen, attrs, only_initial)


class UswdsFormRenderer(DjangoTemplates):
    """The project's one way of drawing a form field: ``{{ field.as_field_group }}``.

    Set as ``FORM_RENDERER``, so every form, including Django's own, is drawn the same way.
    """

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
    bound_field_class = UswdsBoundField
