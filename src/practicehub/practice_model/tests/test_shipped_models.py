from __future__ import annotations

from collections import Counter

import pytest

from practicehub.practice_model.models import (
    Behavior,
    BehaviorSet,
    CapacityArea,
    Element,
    ModelVersion,
    Practice,
    SystemicIssue,
    Value,
    Wording,
)
from practicehub.practice_model.services import Outcome, find_version, load_shipped_models

pytestmark = pytest.mark.django_db


@pytest.fixture
def cfpm() -> ModelVersion:
    load_shipped_models()
    return find_version("cfpm")


def test_the_shipped_cfpm_has_four_practices_and_eight_elements(cfpm: ModelVersion) -> None:
    assert Practice.objects.filter(version=cfpm).count() == 4
    assert Element.objects.filter(version=cfpm).count() == 8


def test_each_cfpm_practice_holds_two_elements(cfpm: ModelVersion) -> None:
    per_practice = Counter(Element.objects.filter(version=cfpm).values_list("practice__code",
                                                                            flat=True))
    assert per_practice == {"EE": 2, "PF": 2, "CS": 2, "HT": 2}


def test_the_shipped_cfpm_splits_23_practice_behaviors_five_six_seven_five(
    cfpm: ModelVersion,
) -> None:
    behaviors = Behavior.objects.filter(version=cfpm, behavior_set=BehaviorSet.PRACTICE)
    per_practice = Counter(behaviors.values_list("practice__name", flat=True))
    assert behaviors.count() == 23
    assert per_practice == {
        "Exploration & Engagement": 5, "Power of Family": 6,
        "Circle of Support": 7, "Healing Trauma": 5,
    }


def test_the_shipped_cfpm_has_leadership_behaviors_too(cfpm: ModelVersion) -> None:
    assert Behavior.objects.filter(version=cfpm, behavior_set=BehaviorSet.LEADERSHIP).exists()


def test_every_cfpm_behavior_is_marked_paraphrased_and_has_three_descriptors(
    cfpm: ModelVersion,
) -> None:
    for behavior in Behavior.objects.filter(version=cfpm):
        assert behavior.wording == Wording.PARAPHRASED
        levels = [d.level.code for d in behavior.descriptors.order_by("-level__rank")]
        assert levels == ["expected", "developmental", "unacceptable"]


def test_the_shipped_cfpm_has_eight_values_each_with_principles(cfpm: ModelVersion) -> None:
    values = Value.objects.filter(version=cfpm)
    assert values.count() == 8
    assert all(value.principles.exists() for value in values)


def test_the_shipped_cfpm_has_seven_capacity_areas_with_standards(cfpm: ModelVersion) -> None:
    areas = CapacityArea.objects.filter(version=cfpm)
    assert areas.count() == 7
    assert all(2 <= area.standards.count() <= 3 for area in areas)


def test_each_cfpm_systemic_issue_is_answered_by_its_own_practice(cfpm: ModelVersion) -> None:
    answers = {
        issue.code: [p.code for p in issue.practices.all()]
        for issue in SystemicIssue.objects.filter(version=cfpm)
    }
    assert answers == {"SI-1": ["EE"], "SI-2": ["PF"], "SI-3": ["CS"], "SI-4": ["HT"]}


def test_the_shipped_cpm_has_casework_components_and_three_behavior_sets() -> None:
    load_shipped_models()
    cpm = find_version("cpm")
    assert [c.name for c in cpm.caseworkcomponent_set.all()] == [
        "Engagement", "Assessment", "Service Planning & Delivery", "Monitoring & Adapting",
        "Transition",
    ]
    sets = set(Behavior.objects.filter(version=cpm).values_list("behavior_set", flat=True))
    assert sets == {"foundational", "practice", "leadership"}
    assert [(lv.label, lv.rank) for lv in cpm.profilelevel_set.all()] == [
        ("Accomplished", 3), ("Acquiring", 2), ("Emerging", 1),
    ]


def test_loading_the_shipped_models_twice_changes_nothing() -> None:
    first = load_shipped_models()
    second = load_shipped_models()
    assert [r.outcome for r in first] == [Outcome.CREATED] * 3
    assert [r.outcome for r in second] == [Outcome.UNCHANGED] * 3
    assert ModelVersion.objects.count() == 3
    assert all(version.is_published for version in ModelVersion.objects.all())
