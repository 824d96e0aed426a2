"""Bijeenkomsten: kick-off and theme meetings per klantgroep, with invitations and attendance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Team
from clients.models.person import Client
from clients.models.policy import ClientGroup


class MeetingKind(models.TextChoices):
    KICKOFF = "kickoff", _("Kick-off meeting")
    THEME = "theme", _("Theme meeting")


class Meeting(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    group = models.ForeignKey(
        ClientGroup,
        verbose_name=_("client group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    orientation = models.CharField(
        _("orientation"),
        max_length=200,
        blank=True,
        help_text=_("A sector or a neighbourhood, for example."),
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    place = models.CharField(_("place"), max_length=200)
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    is_mandatory = models.BooleanField(_("mandatory"), default=False)

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["team", "date"], name="meeting_team_date_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"


class Attendance(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    ABSENT_WITH_NOTICE = "absent_notice", _("Absent, with notice")
    ABSENT_WITHOUT_NOTICE = "absent_no_notice", _("Absent, without notice")


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    invited_on = models.DateField(_("invited on"))
    attendance = models.CharField(
        _("attendance"), max_length=20, choices=Attendance.choices, default=Attendance.INVITED
    )

    class Meta:
        ordering = ["meeting__date", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "client"], name="one_invitation_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.meeting}"
