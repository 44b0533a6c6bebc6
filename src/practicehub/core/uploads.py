"""Upload size limits: an uploaded file over ``MAX_UPLOAD_SIZE`` is discarded while it streams in
and replaced by an :class:`OversizeUpload`, which :class:`UploadField` refuses with a message
naming the file's size and the limit (the form is shown again, not a bare error page)."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from practicehub.core.errors import Refused


def human_size(size: int) -> str:
    """``12.4 MB``, ``800 KB``, ``17 bytes`` (1 KB = 1024 bytes, as the settings read them)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


class UploadTooLarge(Refused):
    pass


class OversizeUpload(UploadedFile):  # type: ignore[type-arg]
    """Stands in for a file that exceeded the limit: it knows its name and size, holds nothing,
    and refuses to be read, so no code can mistake it for an empty file."""

    def __init__(self, name: str, size: int, limit: int) -> None:
        super().__init__(io.BytesIO(), name=name, size=size)
        self.limit = limit

    def message(self) -> str:
        return (f"The file “{self.name}” is {human_size(self.size or 0)}; the largest file "
                f"accepted is {human_size(self.limit)}.")

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        raise UploadTooLarge(self.message())

    def chunks(self, chunk_size: int | None = None) -> Any:
        raise UploadTooLarge(self.message())


class SizeLimitUploadHandler(FileUploadHandler):
    """First upload handler: passes chunks on until a file passes the limit, then swallows the
    rest (counting it, so the message can give the file's size)."""

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.over = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.MAX_UPLOAD_SIZE:
            self.over = True
        return None if self.over else raw_data

    def file_complete(self, file_size: int) -> OversizeUpload | None:
        if not self.over:
            return None
        return OversizeUpload(str(self.file_name), file_size, settings.MAX_UPLOAD_SIZE)


class UploadField(forms.FileField):
    """A file field that refuses a file over the upload limit, naming both sizes."""

    def validate(self, value: Any) -> None:
        if isinstance(value, OversizeUpload):
            raise forms.ValidationError(value.message(), code="too_large")
        super().validate(value)


def store_upload(content: bytes, suffix: str = ".csv") -> Path:
    """Keep an uploaded file in the data folder (readable by this account only) for a job."""
    folder = Path(settings.UPLOADS_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    path = folder / f"{uuid.uuid4()}{suffix}"
    path.touch(mode=0o600)
    path.write_bytes(content)
    return path


def upload_limits() -> dict[str, Any]:
    """What an upload page tells people before they pick a file."""
    return {"max_upload": human_size(settings.MAX_UPLOAD_SIZE),
            "background_rows": settings.IMPORT_BACKGROUND_ROWS}
