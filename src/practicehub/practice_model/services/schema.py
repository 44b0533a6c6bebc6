"""Checking a model file against the practice model's JSON Schema; the reading, the line of
each field and the messages are those of every YAML data file (``core/yamlfiles.py``)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from practicehub.core import yamlfiles
from practicehub.core.yamlfiles import Document, Problem

SCHEMA_FILE = "practice-model.schema.json"


@cache
def model_schema() -> dict[str, Any]:
    """The JSON Schema of one model version, as shipped in ``practice_model/schema``."""
    text = resources.files("practicehub.practice_model").joinpath("schema", SCHEMA_FILE)
    schema: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    schema = model_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def schema_problems(document: Document) -> list[Problem]:
    """Every way the document breaks the model schema, each with its line, without repeats."""
    return yamlfiles.schema_problems(document, _validator())
