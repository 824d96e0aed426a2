"""Reporting periods: a quarter, a year or any span of days, both ends included."""

from __future__ import annotations

import dataclasses
import datetime
import enum

from django.utils.translation import gettext as _

from casework.dates import add_months


class PeriodKind(enum.StrEnum):
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: PeriodKind = PeriodKind.CUSTOM

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after its start.")

    @classmethod
    def quarter(cls, year: int, number: int) -> Period:
        if not 1 <= number <= 4:
            raise ValueError("A quarter is numbered 1 to 4.")
        start = datetime.date(year, 3 * number - 2, 1)
        return cls(start, add_months(start, 3) - datetime.timedelta(days=1), PeriodKind.QUARTER)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), PeriodKind.YEAR)

    @classmethod
    def quarter_of(cls, day: datetime.date) -> Period:
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        match self.kind:
            case PeriodKind.QUARTER:
                return Period.quarter_of(self.start - datetime.timedelta(days=1))
            case PeriodKind.YEAR:
                return Period.year(self.start.year - 1)
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)

    def a_year_earlier(self) -> Period:
        """The same period one year before (the same quarter last year)."""
        return Period(add_months(self.start, -12), add_months(self.end, -12), self.kind)

    def quarters_up_to(self, count: int) -> list[Period]:
        """The `count` quarters ending with the one this period ends in, oldest first."""
        quarters = [Period.quarter_of(self.end)]
        while len(quarters) < count:
            quarters.insert(0, quarters[0].previous())
        return quarters

    @property
    def label(self) -> str:
        match self.kind:
            case PeriodKind.QUARTER:
                return _("Q%(number)s %(year)s") % {
                    "number": (self.start.month - 1) // 3 + 1,
                    "year": self.start.year,
                }
            case PeriodKind.YEAR:
                return str(self.start.year)
        return _("%(start)s to %(end)s") % {
            "start": f"{self.start:%d-%m-%Y}",
            "end": f"{self.end:%d-%m-%Y}",
        }
