"""Numbers, amounts and missing values as people read them, in the active language: the one way
the monitors (monitoring.charts) and the documents for clients (clients.privacy) write them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# What is shown for no value: an en dash.
NO_VALUE = "\N{EN DASH}"


def number(value: Decimal | int | float, decimals: int) -> str:
    """1.234 · 12,5: grouped thousands and the decimal separator of the active language."""
    return number_format(value, decimals, use_l10n=True, force_grouping=True)


def euro(value: Decimal | int | float, decimals: int = 2) -> str:
    """€ 1.234,56"""
    return _("€ %(value)s") % {"value": number(value, decimals)}
