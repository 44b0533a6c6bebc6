"""What the server log prints for requests."""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    """A refused request (403) is an expected answer, not a fault: one line, no traceback.

    Django logs ``PermissionDenied`` with the exception attached, so every refusal printed a
    full traceback and buried the real errors; server errors keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
