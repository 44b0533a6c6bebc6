"""What a person chooses about the site itself: whether the daily digest mails them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DigestSetting(models.Model):
    """A person's choice about ``practicehub remind``; without a row the digest is sent."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="digest_setting")
    send_digest = models.BooleanField("daily digest by e-mail", default=True)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Digest {'on' if self.send_digest else 'off'} for {self.user}"
