"""The plan van aanpak and its agreements (afspraken). The current plan is the newest one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.models.conversations import Conversation
from clients.models.person import Client


class Plan(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="plans")
    drawn_up_on = models.DateField(_("drawn up on"))
    drawn_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn up by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    goals = models.TextField(_("goals"))
    client_signed_on = models.DateField(_("signed by the client on"), null=True, blank=True)
    municipality_signed_on = models.DateField(
        _("signed by the municipality on"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-drawn_up_on", "-id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        # The current plan: the newest per client.
        indexes = [models.Index(fields=["client", "-drawn_up_on", "-id"], name="plan_client_idx")]

    def __str__(self) -> str:
        return f"{self.client} {self.drawn_up_on}"

    @property
    def is_signed(self) -> bool:
        return self.client_signed_on is not None and self.municipality_signed_on is not None


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Responsible(models.TextChoices):
    CLIENT = "client", _("Client")
    CONSULTANT = "consultant", _("Consultant")
    PARTNER = "partner", _("Partner organisation")


class Agreement(models.Model):
    """Who does what by when ("afspraak is afspraak")."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="agreements")
    description = models.CharField(_("what"), max_length=300)
    responsible = models.CharField(
        _("who"), max_length=20, choices=Responsible.choices, default=Responsible.CLIENT
    )
    due_date = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.OPEN
    )
    missed_reason = models.TextField(_("why it was missed"), blank=True)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=AgreementStatus.MISSED) | ~Q(missed_reason=""),
                name="missed_agreement_has_reason",
            ),
        ]
        # The work queue: open agreements past their due date.
        indexes = [models.Index(fields=["status", "due_date"], name="agreement_due_idx")]

    def __str__(self) -> str:
        return self.description


class AgreementReview(models.Model):
    """Progress on one agreement as discussed in a progress conversation; applied to the
    agreement when the conversation is completed."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="agreement_reviews"
    )
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(_("status"), max_length=10, choices=AgreementStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("agreement review")
        verbose_name_plural = _("agreement reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "agreement"], name="one_review_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_status_display()}"
