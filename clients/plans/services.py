"""Writes of plans and agreements."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clients.models import Agreement, AgreementStatus


def set_agreement_status(
    *, agreement: Agreement, status: str, on: datetime.date, missed_reason: str = ""
) -> Agreement:
    """Mark an agreement done, missed (with a reason) or cancelled, or open it again."""
    if status == AgreementStatus.MISSED and not missed_reason.strip():
        raise ValidationError(
            {"missed_reason": _("Say why the agreement was missed.")}, code="reason_required"
        )
    agreement.status = status
    agreement.missed_reason = missed_reason.strip() if status == AgreementStatus.MISSED else ""
    agreement.status_changed_on = on
    agreement.save(update_fields=["status", "missed_reason", "status_changed_on"])
    return agreement
