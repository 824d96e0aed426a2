"""Numbers, euros and missing values, the same in the monitors and in the documents for clients."""

from decimal import Decimal

from django.utils import translation

from casework.formatting import NO_VALUE, euro, number
from clients.privacy.sections import text
from monitoring.charts import format_value
from monitoring.indicators.base import Unit


def test_numbers_and_euros_in_dutch():
    with translation.override("nl"):
        assert number(Decimal("1234.5"), 1) == "1.234,5"
        assert number(1234, 0) == "1.234"
        assert euro(Decimal("1234.5")) == "€ 1.234,50"
        assert euro(Decimal("1234.5"), 0) == "€ 1.234"


def test_the_monitors_and_the_subject_access_document_write_them_alike():
    with translation.override("nl"):
        assert text(Decimal("1500")) == format_value(Decimal("1500"), Unit.EURO) == "€ 1.500,00"
        assert text(None) == text("") == format_value(None, Unit.COUNT) == NO_VALUE
