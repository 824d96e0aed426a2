"""Forms of the employer pages. Saving goes through instruments.placements."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import LadderStep
from instruments.models import Employer, Sector, Vacancy


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = [
            "name",
            "kvk_number",
            "sector",
            "contact_name",
            "contact_phone",
            "contact_email",
            "address",
            "city",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sector = cast(forms.ModelChoiceField, self.fields["sector"])
        sector.queryset = Sector.objects.filter(is_active=True)


class VacancyForm(forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = ["title", "hours_per_week", "level", "requirements"]
        widgets = {"requirements": forms.Textarea(attrs={"rows": 3})}


class CandidateFilterForm(forms.Form):
    """The search for suitable clients (GET): the lowest ladder step, which defaults to the
    municipality's policy, and whether the clients open to any sector are left out."""

    min_step = forms.TypedChoiceField(
        label=_("From ladder step"), coerce=int, required=False, empty_value=None
    )
    sector_only = forms.BooleanField(
        label=_("Only clients interested in this sector"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The ladder is configurable: its steps are read once, as a list, so that rendering and
        # validating the select need no further queries.
        cast(forms.TypedChoiceField, self.fields["min_step"]).choices = [
            (step.number, str(step)) for step in LadderStep.objects.all()
        ]
