"""The daily record of the work queue, per consultant: what was overdue and due soon."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QueueItemKind(models.TextChoices):
    AMBITION = "ambition", _("Ambition conversation")
    PROGRESS = "progress", _("Progress conversation")
    LEGALITY_REVIEW = "legality_review", _("Legality review")
    INACTIVE = "inactive", _("No activity")
    AGREEMENT = "agreement", _("Agreement past its date")


class QueueSnapshot(models.Model):
    """Written by the daily job (idempotent: one row per day, consultant and kind)."""

    day = models.DateField(_("day"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QueueItemKind.choices)
    overdue = models.PositiveIntegerField(_("overdue"))
    due_soon = models.PositiveIntegerField(_("due soon"))

    class Meta:
        ordering = ["-day"]
        verbose_name = _("work queue snapshot")
        verbose_name_plural = _("work queue snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "consultant", "kind"], name="one_snapshot_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.consultant_id} {self.kind}"
