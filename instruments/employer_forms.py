"""Forms of the employer pages. Saving goes through instruments.placements."""

from __future__ import annotations

from typing import Any, cast

from django import forms

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
