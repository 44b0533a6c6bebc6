"""The implementation-support kind: the key in files, its refusals, and the shipped profile."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from practicehub.practice_model.errors import ModelFileError
from practicehub.practice_model.models import Behavior, ModelKind, ModelVersion, Practice
from practicehub.practice_model.services import (
    export_version,
    load_model_text,
    load_shipped_models,
    parse_model_text,
)
from practicehub.practice_model.services.profiles import competencies, current_profile
from practicehub.testing.personas import Personas

pytestmark = pytest.mark.django_db

PROFILE = """\
format: 1
key: tiny-profile
name: Tiny profile
version: "1"
status: published
kind: implementation_support
profile_levels:
  - {code: expected, label: Expected, rank: 3}
  - {code: developmental, label: Developmental, rank: 2}
practices:
  - {code: dom, name: The domain}
behaviors:
  - code: listen
    set: practice
    practice: dom
    text: Listens — hears the site out first.
    wording: local
    descriptors: {expected: Always., developmental: Sometimes.}
"""

CODES_OF_THE_OLD_SUPPORT_LOG_LIST = [
    "co_learning", "brokering", "power", "co_design", "tailoring", "needs", "context",
    "frameworks", "facilitation", "communication", "cycles", "relationships", "teams",
    "capacity", "leaders",
]


def test_a_file_of_kind_implementation_support_is_stored_with_its_kind() -> None:
    loaded = load_model_text(PROFILE, "tiny.yaml").version
    version = ModelVersion.objects.get(pk=loaded.pk)
    assert version.kind == ModelKind.IMPLEMENTATION_SUPPORT
    assert "kind: implementation_support" in export_version(version, "yaml")


def test_a_file_without_kind_is_a_practice_model() -> None:
    text = PROFILE.replace("kind: implementation_support\n", "")
    assert load_model_text(text, "tiny.yaml").version.kind == ModelKind.PRACTICE


def test_an_unknown_kind_is_refused_with_file_and_line() -> None:
    with pytest.raises(ModelFileError) as refused:
        parse_model_text(PROFILE.replace("kind: implementation_support", "kind: support"),
                         "tiny.yaml")
    assert str(refused.value) == ("tiny.yaml:6: kind: must be one of practice, "
                                  "implementation_support, not the text 'support'")
    assert not ModelVersion.objects.exists()


def test_a_competency_outside_the_practice_set_is_refused_with_file_and_line() -> None:
    text = PROFILE.replace("    set: practice\n    practice: dom\n", "    set: leadership\n")
    with pytest.raises(ModelFileError) as refused:
        parse_model_text(text, "tiny.yaml")
    assert str(refused.value) == (
        "tiny.yaml:13: competency 'listen' must be in set 'practice' and name its domain in "
        "'practice': this is an implementation-support profile")


def test_the_shipped_profile_has_three_domains_and_the_support_logs_fifteen_codes() -> None:
    load_shipped_models()
    profile = current_profile()
    assert profile is not None
    assert profile.ref == "is-profile@2026.1"
    assert list(Practice.objects.filter(version=profile).values_list("name", flat=True)) == [
        "Co-creation and engagement", "Ongoing improvement", "Sustaining change"]
    assert [c.code for c in competencies()] == CODES_OF_THE_OLD_SUPPORT_LOG_LIST
    for behavior in Behavior.objects.filter(version=profile).prefetch_related("descriptors"):
        assert behavior.wording == "paraphrased-from-seeds"
        assert {d.level.code for d in behavior.descriptors.all()} == {
            "expected", "developmental", "unacceptable"}


def test_the_browser_calls_them_domains_and_competencies(personas: Personas,
                                                         login_as: Any) -> None:
    load_shipped_models()
    client = login_as(personas.fresno.coach)
    page = client.get(reverse("practice_model:version", args=["is-profile", "2026.1"]))
    assert "Competencies by domain" in page.text
    assert "Domain: Ongoing improvement" in page.text
    behavior = client.get(reverse("practice_model:behavior",
                                  args=["is-profile", "2026.1", "facilitation"]))
    assert "Competency facilitation" in behavior.text
    assert "<dt>Domain</dt><dd>Ongoing improvement</dd>" in behavior.text
