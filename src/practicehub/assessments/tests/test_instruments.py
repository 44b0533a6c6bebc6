from __future__ import annotations

import pytest

from practicehub.assessments.models import Instrument
from practicehub.assessments.services.instruments import (
    load_instrument_text,
    load_shipped_instruments,
    parse_instrument_text,
)
from practicehub.practice_model.errors import ModelFileError
from practicehub.practice_model.services import load_shipped_models

SMALL = """\
format: practicehub.instrument/1
key: tiny
version: "1"
name: Tiny
scale:
  - {value: 0, label: Not yet}
  - {value: 1, label: In place}
scoring: {method: sum}
sections:
  - code: a
    name: A
    items:
      - {code: a-1, text: First}
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(ModelFileError) as caught:
        parse_instrument_text(text, "tiny.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_every_shipped_instrument_loads_and_the_capacity_one_has_seven_areas(db: None) -> None:
    load_shipped_models()
    loaded = {i.key: i for i in load_shipped_instruments()}
    assert set(loaded) == {"exploration-readiness", "drivers-capacity", "implementation-snapshot",
                           "system-capacity", "team-functioning"}
    capacity = loaded["system-capacity"].spec
    assert len(capacity["sections"]) == 7
    assert capacity["sections"][0]["name"] == "Policies and protocols"
    assert "policies and protocols" in capacity["sections"][0]["items"][0]["text"]


def test_loading_the_shipped_instruments_twice_changes_nothing(db: None) -> None:
    load_shipped_models()
    load_shipped_instruments()
    load_shipped_instruments()
    assert Instrument.objects.count() == 5


def test_a_wrong_field_is_reported_with_its_file_and_line() -> None:
    problems = _problems(SMALL.replace("scoring: {method: sum}", "scoring: {method: median}"))
    assert problems == ["tiny.yaml:8: scoring.method: must be one of sum, mean, percent, "
                        "not the text 'median'"]


def test_a_duplicate_item_code_points_at_the_repeat() -> None:
    text = SMALL + "      - {code: a-1, text: Again}\n"
    assert _problems(text) == ["tiny.yaml:14: item code 'a-1' is used twice (first on line 13)"]


def test_a_subscale_naming_an_unknown_section_is_refused() -> None:
    text = SMALL + "subscales:\n  - {code: g, name: G, sections: [a, b]}\n"
    assert _problems(text) == ["tiny.yaml:15: no section has the code 'b'"]


def test_capacity_sections_need_a_published_model(db: None) -> None:
    text = SMALL.split("sections:")[0] + (
        "sections_from_capacity_areas:\n  model: cfpm\n  items:\n"
        "    - {code: x, text: 'About {area}'}\n")
    assert _problems(text) == ["tiny.yaml:10: no published version of practice model 'cfpm' "
                               "is loaded"]


def test_an_instrument_can_be_loaded_from_text(db: None) -> None:
    instrument = load_instrument_text(SMALL, "tiny.yaml")
    assert instrument.spec["subscales"] == []
    assert instrument.spec["administration"] == ["individual", "consensus"]
