"""The kernel: users, teams and roles, the access log and service heartbeats."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONSULTANT = "consultant", _("Consultant")
    MANAGER = "manager", _("Team leader")
    POLICY = "policy", _("Policy officer")
    ADMIN = "admin", _("Application manager")


class JobTitle(models.TextChoices):
    GATEKEEPER = "gatekeeper", _("Gatekeeper")
    INTAKE = "intake", _("Intake officer")
    WORK_COACH = "work_coach", _("Work coach")
    WORK_BROKER = "work_broker", _("Work broker")
    PARTICIPATION_BROKER = "participation_broker", _("Participation broker")
    INCOME_CONSULTANT = "income_consultant", _("Income consultant")


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONSULTANT)
    job_title = models.CharField(
        _("job title"), max_length=30, choices=JobTitle.choices, blank=True
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    phone = models.CharField(
        _("work phone"), max_length=20, blank=True, help_text=_("Shown to clients on their plan.")
    )
    # "Log out everywhere" (casework.sessions.end_all_sessions) sets it; it is part of the
    # session auth hash, so every session from before it stops being valid.
    sessions_ended_at = models.DateTimeField(
        _("all sessions ended at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name(self.first_name, self.last_name, self.username)

    @staticmethod
    def display_name(first_name: str, last_name: str, username: str) -> str:
        """How a user is named on every page: the full name (as get_full_name), else the
        username."""
        return f"{first_name} {last_name}".strip() or username

    def get_session_auth_hash(self) -> str:
        """Django's HMAC of the password, plus the moment all sessions were last ended; without
        that moment it is Django's own hash, so existing sessions stay valid."""
        if self.sessions_ended_at is None:
            return super().get_session_auth_hash()
        return self._sessions_auth_hash(self.sessions_ended_at, secret=None)

    def get_session_auth_fallback_hash(self) -> Iterable[str]:
        """The same with each of SECRET_KEY_FALLBACKS, as Django's."""
        if self.sessions_ended_at is None:
            return super().get_session_auth_fallback_hash()
        ended_at = self.sessions_ended_at
        return [
            self._sessions_auth_hash(ended_at, secret=key) for key in settings.SECRET_KEY_FALLBACKS
        ]

    def _sessions_auth_hash(self, ended_at: datetime, *, secret: str | bytes | None) -> str:
        return salted_hmac(
            "casework.models.User.get_session_auth_hash",
            f"{self.password}|{ended_at.isoformat()}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class AccessReason(models.TextChoices):
    CASEWORK = "casework", _("Case handling")
    SUBJECT_ACCESS = "subject_access", _("Subject access request")
    AUDIT = "audit", _("Access log audit")


class AccessLog(models.Model):
    """One row per response that showed a person's data. Append-only: a database trigger
    (migration 0002) refuses UPDATE and DELETE."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    accessed_at = models.DateTimeField(default=timezone.now)
    # A plain id, not a foreign key: the kernel does not depend on the clients app, and the
    # log must outlive any change to the client row.
    client_id = models.BigIntegerField()
    view = models.CharField(max_length=100)
    path = models.CharField(max_length=500)
    reason = models.CharField(max_length=20, choices=AccessReason.choices)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            # "who looked at this client", newest first
            models.Index(fields=["client_id", "-accessed_at"], name="accesslog_client_idx"),
            # "what did this user look at"
            models.Index(fields=["user", "-accessed_at"], name="accesslog_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.accessed_at:%Y-%m-%d %H:%M} {self.user_id} {self.view} {self.client_id}"


class Heartbeat(models.Model):
    """The last time a background service proved it runs (see casework.tasks.heartbeat)."""

    service = models.CharField(max_length=50, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.service} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class PolicySettings(models.Model):
    """The municipality's policy numbers: one row, edited by the application manager."""

    plan_required_up_to_age = models.PositiveSmallIntegerField(
        _("plan required up to age"), default=27
    )
    plan_valid_months = models.PositiveSmallIntegerField(
        _("a plan is current for (months)"), default=12
    )
    ambition_within_days = models.PositiveSmallIntegerField(
        _("ambition conversation within (days after the benefit starts)"), default=28
    )
    inactivity_days = models.PositiveSmallIntegerField(
        _("signal a client without activity after (days)"), default=90
    )
    due_soon_days = models.PositiveSmallIntegerField(_("work queue looks ahead (days)"), default=28)
    durable_placement_months = models.PositiveSmallIntegerField(
        _("a placement is durable after (months off benefit)"), default=6
    )
    matching_min_ladder_step = models.PositiveSmallIntegerField(
        _("vacancy matching proposes clients from ladder step"), default=4
    )
    # The Archiefwet selection list keeps a client file 10 years after the last benefit ends.
    retention_years = models.PositiveSmallIntegerField(
        _("keep personal data for (years after the last benefit ends)"),
        default=10,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        verbose_name = _("policy settings")
        verbose_name_plural = _("policy settings")

    def __str__(self) -> str:
        return str(_("Policy settings"))

    @classmethod
    def load(cls) -> "PolicySettings":
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings


class Notification(models.Model):
    """An in-app message for one user. `key` makes sending idempotent: a job that runs twice
    creates each notification once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.message


class ApiToken(models.Model):
    """A personal API token. Only the SHA-256 hash of the secret is stored; the token itself is
    shown once, when it is created (casework.api.tokens.create_api_token)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The first characters of the token, to recognise it in the list; not enough to use it.
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
