"""The shipped CFPM → CPM crosswalk: loaded with the shipped models, every CFPM behavior and
element has an entry, and the relations read the way the file says."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from practicehub.practice_model.models import Behavior, BehaviorLink, Crosswalk, Element
from practicehub.practice_model.services import find_version, load_shipped_models
from practicehub.practice_model.services.crosswalk import (
    Outcome,
    load_shipped_crosswalks,
    shipped_crosswalk_path,
)
from practicehub.testing.personas import Personas

pytestmark = pytest.mark.django_db


def test_the_shipped_models_bring_the_crosswalk_and_loading_again_changes_nothing() -> None:
    load_shipped_models()
    crosswalk = Crosswalk.objects.get()
    assert (crosswalk.source.ref, crosswalk.target.ref) == ("cfpm@2026.1", "cpm@2026.1")
    assert "not an official crosswalk" in crosswalk.provenance
    assert "not an official crosswalk" in shipped_crosswalk_path("cfpm-to-cpm.yaml").read_text()
    assert [result.outcome for result in load_shipped_crosswalks()] == [Outcome.UNCHANGED]


def test_every_cfpm_behavior_and_element_has_an_entry() -> None:
    load_shipped_models()
    load_shipped_crosswalks()
    cfpm = find_version("cfpm")
    mapped = set(BehaviorLink.objects.values_list("source__code", flat=True))
    every = set(Behavior.objects.filter(version=cfpm).values_list("code", flat=True))
    assert len(every) == 28
    assert mapped == every
    elements = set(Element.objects.filter(version=cfpm).values_list("code", flat=True))
    assert set(Crosswalk.objects.get().elementlinks.values_list("source__code",
                                                                flat=True)) == elements


def test_the_relations_are_the_files_reading() -> None:
    load_shipped_models()
    load_shipped_crosswalks()

    def links(code: str) -> list[tuple[str | None, str]]:
        return [(link.target.code if link.target else None, link.relation)
                for link in BehaviorLink.objects.filter(source__code=code).order_by("order")]

    assert links("EE-2") == [("P-2", "same")]
    assert links("EE-3") == [("F-1", "broader"), ("F-2", "narrower")]
    assert links("PF-6") == [(None, "none")]
    assert links("LB-5") == [("L-3", "same")]
    # Every CPM practice behavior is fed by at least one CFPM behavior.
    cpm = find_version("cpm")
    fed = set(BehaviorLink.objects.exclude(target=None).values_list("target__code", flat=True))
    practice = set(Behavior.objects.filter(version=cpm, behavior_set="practice")
                   .values_list("code", flat=True))
    assert practice <= fed


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_behavior_page_shows_its_counterparts_both_ways(personas: Personas,
                                                          login_as: Any) -> None:
    load_shipped_models()
    client = login_as(personas.fresno.practitioner)
    cfpm_page = client.get(reverse("practice_model:behavior", args=["cfpm", "2026.1", "EE-3"]))
    text = _text(cfpm_page.content.decode())
    assert ("California Child Welfare Core Practice Model 2026.1 broader than F-1 — Is clear"
            in text)
    assert "narrower than F-2 — Is open and honest" in text
    assert reverse("practice_model:behavior", args=["cpm", "2026.1", "F-1"]) in \
        cfpm_page.content.decode()
    assert "Crosswalk cfpm@2026.1 → cpm@2026.1: practicehub's reading" in text
    # The CPM side reads the same link turned round, and links back.
    cpm_page = client.get(reverse("practice_model:behavior", args=["cpm", "2026.1", "F-1"]))
    text = _text(cpm_page.content.decode())
    assert ("California Child and Family Practice Model 2026.1 narrower than EE-3 — Is honest"
            in text)
    assert reverse("practice_model:behavior", args=["cfpm", "2026.1", "EE-3"]) in \
        cpm_page.content.decode()
    # P-2 is fed by four CFPM behaviors; F-3 by none, and the page says so.
    p2 = _text(client.get(reverse("practice_model:behavior",
                                  args=["cpm", "2026.1", "P-2"])).content.decode())
    assert [code for code in ("EE-1", "EE-2", "PF-1", "HT-1") if f"than {code}" in p2 or
            f"same as {code}" in p2] == ["EE-1", "EE-2", "PF-1", "HT-1"]
    f3 = _text(client.get(reverse("practice_model:behavior",
                                  args=["cpm", "2026.1", "F-3"])).content.decode())
    assert "No behavior of the California Child and Family Practice Model 2026.1 is mapped " \
        "to F-3." in f3
    pf6 = _text(client.get(reverse("practice_model:behavior",
                                   args=["cfpm", "2026.1", "PF-6"])).content.decode())
    assert "no counterpart No counterpart in this model The CPM outline has no permanency" in pf6


def test_the_version_pages_show_element_counterparts_both_ways(personas: Personas,
                                                               login_as: Any) -> None:
    load_shipped_models()
    client = login_as(personas.fresno.practitioner)
    cfpm = client.get(reverse("practice_model:version", args=["cfpm", "2026.1"])).content.decode()
    assert (reverse("practice_model:version", args=["cpm", "2026.1"]) + "#element-accountability"
            in cfpm)
    assert "Shared Commitment & Accountability narrower than Accountability" in _text(cfpm)
    cpm = _text(client.get(reverse("practice_model:version",
                                   args=["cpm", "2026.1"])).content.decode())
    assert "Accountability broader than Shared Commitment & Accountability" in cpm
    assert "Workforce Development & Support No element of the California Child and " \
        "Family Practice Model 2026.1 is mapped to it." in cpm
