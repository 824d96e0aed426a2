"""Reads of the monitor archive. The files are binary columns: only a download reads one."""

from __future__ import annotations

import enum

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from monitoring.models import Report

FILE_FIELDS = ("pdf", "csv", "xlsx")


class FileFormat(enum.StrEnum):
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"


def archive() -> QuerySet[Report]:
    """Every monitor, the latest period first, without the files."""
    return Report.objects.defer(*FILE_FIELDS)


def get_report(pk: int) -> Report:
    return get_object_or_404(archive(), pk=pk)


def get_report_file(pk: int, file_format: FileFormat) -> tuple[Report, bytes]:
    """A monitor's file of one format (only that column is read); 404 when it was never built."""
    row = get_object_or_404(
        Report.objects.only("period_start", "period_end", "period_kind", file_format.value), pk=pk
    )
    content = bytes(getattr(row, file_format.value))
    if not content:
        raise Http404("This monitor has not been built yet.")
    return row, content
