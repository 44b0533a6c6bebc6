"""One search box across observations, coaching plans, practice model behaviors and lessons.

Each kind is read through its own ``visible_to`` (practice models are shared reference data), so
a result is one the user could open anyway; observations and coaching plans are person-level and
are searched only for people who may open those records (the permission map audits the read).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from practicehub.accounts.models import User, Visitor
from practicehub.accounts.roles import Capability
from practicehub.accounts.scoping import has_capability
from practicehub.fidelity.models import CoachingPlan, Observation
from practicehub.implementation.models import Lesson
from practicehub.implementation.services.support import search_lessons
from practicehub.practice_model.models import Behavior

SHOWN = 20


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    href: str


@dataclass(frozen=True)
class Section:
    heading: str
    hits: list[Hit]
    total: int

    @property
    def summary(self) -> str:
        if not self.total:
            return "None found."
        if self.total > len(self.hits):
            return f"The first {len(self.hits)} of {self.total:,}."
        return f"{self.total:,} found."


def searches_people(user: Visitor) -> bool:
    return has_capability(user, Capability.FIDELITY_RECORDS)


def _person(prefix: str, word: str) -> Q:
    return (Q(**{f"{prefix}__first_name__icontains": word})
            | Q(**{f"{prefix}__last_name__icontains": word})
            | Q(**{f"{prefix}__username__iexact": word}))


def _each_word(rows: QuerySet[Any], text: str, match: Any) -> QuerySet[Any]:
    for word in text.split():
        rows = rows.filter(match(word))
    return rows


def _section(heading: str, rows: QuerySet[Any], hit: Any) -> Section:
    return Section(heading, [hit(row) for row in rows[:SHOWN]], rows.count())


def search(user: User, text: str) -> list[Section]:
    text = text.strip()
    if not text:
        return []
    sections = []
    if searches_people(user):
        observations = _each_word(
            Observation.objects.visible_to(user).select_related("worker", "tool"), text,
            lambda w: _person("worker", w) | _person("observer", w) | Q(reference__iexact=w)
            | Q(notes__icontains=w) | Q(tool__name__icontains=w)).order_by("-observed_on", "-pk")
        sections.append(_section("Observations", observations, lambda o: Hit(
            f"{o.worker} · {o.observed_on:%Y-%m-%d}", f"{o.tool.name} · {o.get_status_display()}",
            reverse("fidelity:observation", args=[o.pk]))))
        plans = _each_word(
            CoachingPlan.objects.visible_to(user).select_related("person", "coach"), text,
            lambda w: _person("person", w) | _person("coach", w)).order_by("-started_on", "-pk")
        sections.append(_section("Coaching plans", plans, lambda p: Hit(
            f"Coaching plan for {p.person}",
            f"coach {p.coach} · started {p.started_on:%Y-%m-%d}"
            + (f" · closed {p.closed_on:%Y-%m-%d}" if p.closed_on else ""),
            reverse("fidelity:plan", args=[p.pk]))))
    behaviors = _each_word(
        Behavior.objects.filter(version__status="published").select_related("version"), text,
        lambda w: Q(code__iexact=w) | Q(text__icontains=w)).order_by("version__key", "order")
    sections.append(_section("Practice model behaviors", behaviors, lambda b: Hit(
        f"{b.code} {b.text}", f"{b.version.name} {b.version.label}",
        reverse("practice_model:behavior", args=[b.version.key, b.version.label, b.code]))))
    lessons = search_lessons(Lesson.objects.visible_to(user).select_related("node"),
                             text=text).order_by("-created_on", "-pk")
    sections.append(_section("Lessons", lessons, lambda x: Hit(
        x.title, f"{x.get_kind_display()} from {x.node.name}, {x.created_on:%Y-%m-%d}",
        reverse("implementation:lesson_list") + "?" + urlencode({"q": x.title}))))
    return sections
