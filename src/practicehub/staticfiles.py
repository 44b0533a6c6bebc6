"""Static files: hashed and compressed once collected, the apps' own files until then."""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """WhiteNoise's compressed manifest storage, usable before ``collectstatic`` has run.

    ``practicehub collectstatic`` copies each file under a name holding a hash of its content
    (``practicehub.3f1c….css``), with a gzip copy beside it, and pages link those names, which
    WhiteNoise serves with a ten-year cache lifetime: a new version has a new name. Until the files
    are collected (a checkout, the demo, the tests) there is no manifest; names then stay as they
    are and WhiteNoise serves the apps' own files (``WHITENOISE_USE_FINDERS``), instead of every
    page failing on a missing manifest entry.
    """

    # The vendored USWDS files name source maps it does not ship; their comments are left as they
    # are (a browser asks for a map only with its developer tools open) instead of failing the
    # collection. Every other reference (url(), @import) is rewritten to the hashed name.
    patterns = tuple(
        (files, tuple(found for found in rules if "sourceMappingURL" not in str(found)))
        for files, rules in ManifestStaticFilesStorage.patterns
    )

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:
            return name
        return str(super().stored_name(name))
