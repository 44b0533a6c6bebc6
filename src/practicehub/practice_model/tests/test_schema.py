"""The shipped JSON Schema works on its own, e.g. in an editor checking a file as it is typed."""

from __future__ import annotations

import pytest
import yaml
from jsonschema import Draft202012Validator

from practicehub.practice_model.services.schema import model_schema
from practicehub.practice_model.services.shipped import SHIPPED_MODELS, shipped_model_path


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = model_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SHIPPED_MODELS)
def test_each_shipped_model_passes_the_schema_alone(name: str) -> None:
    data = yaml.safe_load(shipped_model_path(name).read_text(encoding="utf-8"))
    assert list(Draft202012Validator(model_schema()).iter_errors(data)) == []

