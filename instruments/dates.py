"""Calendar arithmetic for trajecten and commitments."""

import datetime

from casework.dates import add_months


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def planned_months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The calendar months from start to end, as their first days (both ends included)."""
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [first_of_month(add_months(first_of_month(start), i)) for i in range(count)]
