"""Every form class of the project, drawn through the one renderer (``core.forms``).

A date is a browser date picker (``type="date"``) showing an ISO value; the value a page shows
is the value its own form accepts back; no widget loses what its field says (a number stays a
number input, a text area keeps its ``rows``); every field wears the USWDS look. The forms are
found by walking the form modules, so a new form is checked without anyone listing it.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms
from django.forms.widgets import Input

import practicehub
from practicehub.accounts.models import User
from practicehub.fidelity.models import Observation, RaterRelation
from practicehub.implementation.models import (
    Meeting,
    Objective,
    Plan,
    PlanAction,
    Priority,
    Review,
    SupportActivity,
    Team,
)
from practicehub.practice_model.models import Behavior, ProfileLevel
from practicehub.practice_model.services.profiles import competencies
from practicehub.testing.personas import Personas
from tests.roleworld import RoleWorld, build_role_world

DAY = datetime.date(2026, 12, 1)


def form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(practicehub.__path__, "practicehub."):
        # forms.py, forms_<area>.py and modules of a forms package: every module that holds forms.
        if any(part.startswith("forms") for part in module.name.split(".")[1:]):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type[forms.BaseForm]] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("practicehub.") and sub not in found:
                found.append(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def keyword_values(world: RoleWorld) -> dict[str, Any]:
    """What each constructor parameter of a project form is given: records of the role world."""
    fresno = world.personas.fresno
    return {
        "nodes": [fresno.county], "parents": [fresno.county],
        "workers": User.objects.all(), "people": User.objects.all(),
        "firsts": Observation.objects.all(), "teams": Team.objects.all(),
        "objectives": Objective.objects.all(), "plans": Plan.objects.all(),
        "plan_actions": list(PlanAction.objects.all()), "behaviors": Behavior.objects.all(),
        "team": world.implementation.team, "version": world.version,
        "observation": world.draft, "behavior": Behavior.objects.first(),
        "observations": Observation.objects.all(),
        "visible": SupportActivity.objects.all(),  # the support log's filters
        "object_types": ["accounts.user"], "levels": list(ProfileLevel.objects.all()),
        "priorities": Priority.objects.all(), "meetings": Meeting.objects.all(),
        "reviews": Review.objects.all(),
        # The implementation-support profile's rating form and filters.
        "me": fresno.lead, "competencies": competencies(),
        "choices": [(world.implementation.team, fresno.lead, RaterRelation.SELF)],
        "domains": sorted({(c.domain_code, c.domain) for c in competencies()}),
        "ratings": Observation.profile_ratings.all(),
    }


def build(cls: type[forms.BaseForm], world: RoleWorld, data: dict[str, Any] | None = None,
          initial: dict[str, Any] | None = None) -> forms.BaseForm:
    values = keyword_values(world)
    kwargs: dict[str, Any] = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            assert name in values, f"{cls.__qualname__} takes {name}=: add it to keyword_values"
            kwargs[name] = values[name]
    takes = inspect.signature(cls.__init__).parameters
    if "initial" in takes or any(p.kind is p.VAR_KEYWORD for p in takes.values()):
        kwargs["initial"] = initial
    return cls(data, **kwargs)


class Inputs(HTMLParser):
    """The name → value pairs a browser would send for a drawn form, and each input's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.attrs: dict[str, dict[str, str | None]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name") or ""
        if tag == "input" and name:
            self.attrs.setdefault(name, found)
            kind = found.get("type")
            if kind in {"checkbox", "radio"} and "checked" not in found:
                return
            if kind != "file":
                self.data.setdefault(name, []).append(found.get("value") or "")
        elif tag == "select" and name:
            self.attrs[name], self._select = found, name
        elif tag == "option" and self._select and "selected" in found:
            self.data.setdefault(self._select, []).append(found.get("value") or "")
        elif tag == "textarea" and name:
            self.attrs[name], self._textarea = found, name
            self.data[name] = [""]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea][-1] += data


def drawn(form: forms.BaseForm) -> Inputs:
    parser = Inputs()
    parser.feed(str(form))
    return parser


def date_fields(form: forms.BaseForm) -> list[str]:
    return [name for name, field in form.fields.items()
            if isinstance(field, forms.DateField) and not field.widget.is_hidden]


@pytest.fixture
def world(personas: Personas) -> RoleWorld:
    return build_role_world(personas)


def test_the_walk_finds_the_forms_people_fill_in() -> None:
    names = {cls.__qualname__ for cls in form_classes()}
    assert {"StartForm", "SessionForm", "GoalForm", "SupportActivityForm", "EventFilterForm",
            "BehaviorForm", "SignInForm"} <= names


@pytest.mark.parametrize("cls", form_classes(), ids=lambda c: c.__qualname__)
def test_every_date_is_an_iso_date_picker_that_submits_back_valid(
        cls: type[forms.BaseForm], world: RoleWorld) -> None:
    form = build(cls, world)
    names = date_fields(form)
    if not names:
        return
    filled = build(cls, world, initial=dict.fromkeys(names, DAY))
    shown = drawn(filled)
    for name in names:
        assert shown.attrs[name]["type"] == "date", f"{cls.__qualname__}.{name}"
        assert shown.data[name] == ["2026-12-01"], f"{cls.__qualname__}.{name}"
    sent = build(cls, world, data={key: values[0] for key, values in shown.data.items()})
    sent.is_valid()
    for name in names:
        assert name not in sent.errors, f"{cls.__qualname__}.{name}: {sent.errors[name]}"
        assert sent.cleaned_data[name] == DAY


@pytest.mark.parametrize("cls", form_classes(), ids=lambda c: c.__qualname__)
def test_every_widget_keeps_its_kind_and_wears_the_uswds_look(
        cls: type[forms.BaseForm], world: RoleWorld) -> None:
    form = build(cls, world)
    shown = drawn(form)
    for name, field in form.fields.items():
        widget, attrs = field.widget, shown.attrs.get(form.add_prefix(name)) or {}
        if widget.is_hidden:
            continue
        css = attrs.get("class") or ""
        if isinstance(widget, forms.NumberInput):
            assert (attrs["type"], "usa-input" in css) == ("number", True), name
        elif isinstance(widget, forms.Textarea):
            assert (attrs["rows"], "usa-textarea" in css) == (str(widget.attrs["rows"]), True), name
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            assert not attrs or css == "usa-checkbox__input", name
        elif isinstance(widget, forms.CheckboxInput):
            assert css == "usa-checkbox__input", name
        elif isinstance(widget, forms.Select):
            assert "usa-select" in css, name
        elif isinstance(widget, forms.FileInput):
            assert "usa-file-input" in css, name
        elif isinstance(widget, Input):
            assert "usa-input" in css, name


def test_a_refused_field_is_marked_and_its_message_is_tied_to_it(world: RoleWorld) -> None:
    from practicehub.fidelity.forms import SessionForm

    form = SessionForm({"held_on": "1 December", "notes": "Went well."})
    html = str(form)
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_held_on_error"' in html
    assert 'id="id_held_on_error"' in html
    assert "Enter a valid date." in html
