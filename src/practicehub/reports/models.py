"""Background report jobs: one record per PDF progress report asked for on a page.

The file lives in ``REPORTS_DIR`` (inside the data folder) until ``expires_at``; the worker (or
``practicehub report cleanup``) then deletes it and blanks ``stored_file``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from practicehub.accounts.models import User, Visitor


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the task worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


FINISHED = (ReportStatus.DONE, ReportStatus.FAILED)


class ReportJobQuerySet(models.QuerySet["ReportJob"]):
    def visible_to(self, user: Visitor) -> ReportJobQuerySet:
        """Only the person who asked for a report sees its job and downloads its file: the
        report was built from what their scope holds, which another person's may not."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(requested_by=user)


class ReportJob(models.Model):
    node = models.ForeignKey("accounts.OrgNode", on_delete=models.CASCADE,
                             related_name="report_jobs")
    period = models.CharField(max_length=40, blank=True,
                              help_text="The period code asked for; empty for the default")
    period_label = models.CharField(max_length=80, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="report_jobs")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.QUEUED)
    stage = models.CharField(max_length=80, blank=True)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    stored_file = models.CharField(max_length=300, blank=True,
                                   help_text="Path inside the data folder; empty once deleted")
    file_size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Progress report of {self.node} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        return 100 * self.steps_done // self.steps_total if self.steps_total else 0

    @property
    def file_name(self) -> str:
        # The day where the platform is (TIME_ZONE), as the report's cover dates it.
        stamp = timezone.localtime(self.finished_at or self.requested_at).date().isoformat()
        return f"progress-report-{self.node.code}-{stamp}.pdf"

    def requester(self) -> User:
        return self.requested_by
