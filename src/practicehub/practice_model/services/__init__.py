"""The practice model's rules. Other apps and the command line call these, never the models' writes.

- ``load_model_file(path)`` / ``load_model_text(text, source)`` → ``LoadResult``
- ``load_shipped_models()`` → ``list[LoadResult]`` (idempotent; the demo calls it)
- ``find_version("key[@version]")`` → ``ModelVersion``
- ``export_version(version, "yaml" | "json" | "csv")`` → ``str``
- ``diff_specs(a, b)`` / ``format_changes(changes)``; ``spec_of(path or "key@version")``
- ``start_draft(version, label)``, ``publish(version)``, ``update_behavior(behavior, ...)``
"""

from practicehub.practice_model.services.diff import diff_specs, format_changes, spec_of
from practicehub.practice_model.services.drafts import publish, start_draft, update_behavior
from practicehub.practice_model.services.export import (
    FORMATS,
    VersionNotFound,
    export_version,
    find_version,
)
from practicehub.practice_model.services.loader import (
    LoadResult,
    Outcome,
    load_model_file,
    load_model_text,
    parse_model_file,
    parse_model_text,
)
from practicehub.practice_model.services.shipped import load_shipped_models
from practicehub.practice_model.services.store import read_spec

__all__ = [
    "FORMATS",
    "LoadResult",
    "Outcome",
    "VersionNotFound",
    "diff_specs",
    "export_version",
    "find_version",
    "format_changes",
    "load_model_file",
    "load_model_text",
    "load_shipped_models",
    "parse_model_file",
    "parse_model_text",
    "publish",
    "read_spec",
    "spec_of",
    "start_draft",
    "update_behavior",
]
