"""Background jobs: one record per long web import, whichever area it belongs to.

Who sees which job is a role rule, so it lives with the others:
``accounts.scoping.jobs_visible_to``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the task worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    REFUSED = "refused", "Refused: problems found, nothing imported"
    FAILED = "failed", "Failed"


FINISHED = (JobStatus.DONE, JobStatus.REFUSED, JobStatus.FAILED)


class ImportJob(models.Model):
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="import_jobs")
    submitted_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    stored_file = models.CharField(max_length=300, help_text="Path inside the data folder")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=60, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    summary = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        return 100 * self.rows_done // self.rows_total if self.rows_total else 0


class ExportJob(models.Model):
    """A large export (a page's table, the observations or audit export) made by the task worker.

    ``path`` is the download's address with its query; the worker asks it again as the person
    who asked (``core/services/export_jobs.py``), so the file is the one the request would have
    answered. Only that person opens the job and fetches the file (``requested_by``)."""

    title = models.CharField(max_length=200)
    path = models.CharField(max_length=2000, help_text="The download's address and query")
    host = models.CharField(max_length=255, blank=True)
    params = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="export_jobs")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(max_length=80, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    stored_file = models.CharField(max_length=300, blank=True,
                                   help_text="Path inside the data folder; empty once deleted")
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
