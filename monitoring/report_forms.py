from __future__ import annotations

import calendar
import datetime
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput
from monitoring.models import ReportKind
from monitoring.periods import Period

FIRST_YEAR = 2000  # the earliest year a monitor can be asked for: older data is not in the system


class ReportRequestForm(forms.Form):
    """A monitor for a quarter, a year or any span of whole calendar months that has ended.

    Other periods are whole months: two monitors whose periods differ by a day or two would show,
    by their difference, the clients who came or went on those days."""

    kind = forms.ChoiceField(
        label=_("Period"), choices=ReportKind.choices, widget=forms.RadioSelect, initial="quarter"
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=FIRST_YEAR,
        help_text=_("For a quarter or a year."),
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        choices=lambda: [
            ("", "—"),
            *(
                (number, gettext("Quarter %(number)d") % {"number": number})
                for number in range(1, 5)
            ),
        ],
        help_text=_("For a quarter."),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        help_text=_("For another period: the first day of a month."),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=DateInput(),
        help_text=_("For another period: the last day of a month, which is included."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A monitor covers a period that has ended: it is at most this year's.
        this_year = timezone.localdate().year
        year = self.fields["year"]
        year.validators.append(MaxValueValidator(this_year))
        year.widget.attrs.update({"inputmode": "numeric", "max": this_year})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        period = self._period(cleaned)
        if period is not None:
            field = {ReportKind.QUARTER: "quarter", ReportKind.YEAR: "year"}.get(
                cleaned["kind"], "end"
            )
            self._check_ended(period, field)
            cleaned["period"] = period
        return cleaned

    def _period(self, cleaned: dict[str, Any]) -> Period | None:
        """The chosen period, or None with an error next to the field that is missing."""
        kind: str | None = cleaned.get("kind")
        year: int | None = cleaned.get("year")
        quarter: int | None = cleaned.get("quarter")
        start: datetime.date | None = cleaned.get("start")
        end: datetime.date | None = cleaned.get("end")
        if kind in (ReportKind.QUARTER, ReportKind.YEAR):
            if year is None:
                if "year" not in self.errors:
                    self.add_error("year", _("Enter the year."))
                return None
            if kind == ReportKind.YEAR:
                return Period.year(year)
            if not quarter:
                self.add_error("quarter", _("Choose the quarter."))
                return None
            return Period.quarter(year, quarter)
        if kind == ReportKind.CUSTOM:
            for name, value in (("start", start), ("end", end)):
                if value is None and name not in self.errors:
                    self.add_error(name, _("Enter a date."))
            if start is None or end is None:
                return None
            whole_months = True
            if start.day != 1:
                self.add_error("start", _("Start on the first day of a month."))
                whole_months = False
            if end.day != calendar.monthrange(end.year, end.month)[1]:
                self.add_error("end", _("End on the last day of a month."))
                whole_months = False
            if not whole_months:
                return None
            if end < start:
                self.add_error("end", _("The end date lies before the start date."))
                return None
            return Period(start, end)
        return None

    def _check_ended(self, period: Period, field: str) -> None:
        today = timezone.localdate()
        if period.end >= today:
            self.add_error(
                field,
                _(
                    "A monitor covers a period that has ended: the period must end before today "
                    "(%(today)s)."
                )
                % {"today": f"{today:%d-%m-%Y}"},
            )
        elif period.start < datetime.date(FIRST_YEAR, 1, 1):
            self.add_error(
                field, _("A monitor starts in %(year)d or later.") % {"year": FIRST_YEAR}
            )
