"""Targets per indicator and year, and the archive of periodic monitors.

Indicators themselves are code (monitoring.indicators.REGISTRY); a target names one by its code.
The code is checked against the registry by the admin form, not by a database enum: indicators are
added in code without a migration, and a target of a retired indicator stays readable.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.periods import Period, PeriodKind


class Target(models.Model):
    """The value an indicator should reach in a year, set by the application manager."""

    indicator = models.CharField(_("indicator"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["-year", "indicator"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class ReportKind(models.TextChoices):
    QUARTER = PeriodKind.QUARTER.value, _("Quarter")
    YEAR = PeriodKind.YEAR.value, _("Year")
    CUSTOM = PeriodKind.CUSTOM.value, _("Other period")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class FailureReason(models.TextChoices):
    """Why a build failed, in words for policy staff; the technical detail goes to the log."""

    TIMEOUT = "timeout", _("Building the monitor took longer than allowed.")
    DATABASE = "database", _("The figures could not be read from the database.")
    ERROR = "error", _("An unexpected error occurred while building the monitor.")


class Report(models.Model):
    """One periodic monitor: a period, its build status and the three files.

    One row per period (a rebuild replaces the files in place). The files are binary columns, not
    files on disk: the worker that builds them and the web containers that serve them share the
    database but no disk (docker-compose.yml: a stateless web tier), and writing the files in the
    same transaction as the status DONE means an archive entry is never half written. A monitor is
    a few hundred kilobytes; the archive list defers the columns (report_selectors).
    """

    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    period_kind = models.CharField(_("kind of period"), max_length=10, choices=ReportKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    failure_reason = models.CharField(
        _("reason for failure"), max_length=20, choices=FailureReason.choices, blank=True
    )
    # Nobody when Celery beat asked for it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When the files below were made; they stay downloadable while a rebuild runs or fails.
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    pdf = models.BinaryField(default=b"")
    csv = models.BinaryField(default=b"")
    xlsx = models.BinaryField(default=b"")

    class Meta:
        ordering = ["-period_end", "period_start"]
        verbose_name = _("monitor")
        verbose_name_plural = _("monitors")
        constraints = [
            models.UniqueConstraint(
                fields=["period_start", "period_end"], name="one_report_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.period.label

    @property
    def period(self) -> Period:
        return Period(self.period_start, self.period_end, PeriodKind(self.period_kind))

    def file_name(self, extension: str) -> str:
        """monitor-2025-q1.pdf, monitor-2025.csv, monitor-2025-01-01-2025-05-31.xlsx"""
        period = self.period
        match period.kind:
            case PeriodKind.QUARTER:
                stem = f"{period.start.year}-q{(period.start.month - 1) // 3 + 1}"
            case PeriodKind.YEAR:
                stem = str(period.start.year)
            case _:
                stem = f"{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}"
        return f"monitor-{stem}.{extension}"

    @property
    def in_progress(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
