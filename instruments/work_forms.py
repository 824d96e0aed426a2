"""Forms of the dossier's work section: the work profile, placing a client in work and ending a
placement. Labels and validators come from the models; saving goes through instruments.placements,
whose ValidationErrors the views put back on these forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput
from instruments.models import Employer, Placement, Sector, Vacancy, WorkProfile


class WorkProfileForm(forms.ModelForm):
    class Meta:
        model = WorkProfile
        fields = ["sectors", "hours_per_week"]
        widgets = {"sectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sectors = cast(forms.ModelMultipleChoiceField, self.fields["sectors"])
        sectors.queryset = Sector.objects.filter(is_active=True)
        # The vacancy matching (instruments.matching) reads no sectors as open to any sector.
        sectors.help_text = _("Leave every sector unticked when any sector will do.")


class PlacementForm(forms.ModelForm):
    ends_benefit = forms.BooleanField(
        label=_("End the benefit with reason work"),
        required=False,
        help_text=_("The open benefit period ends the day before the start date."),
    )

    class Meta:
        model = Placement
        fields = [
            "employer",
            "vacancy",
            "start_date",
            "contract_type",
            "hours_per_week",
            "with_wage_subsidy",
            "with_job_coaching",
        ]
        widgets = {"start_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employer = cast(forms.ModelChoiceField, self.fields["employer"])
        employer.queryset = Employer.objects.all()
        vacancy = cast(forms.ModelChoiceField, self.fields["vacancy"])
        # Open vacancies only; each option names its employer (Vacancy.__str__): joined, not one
        # query per option. Whether it is the chosen employer's, place_client decides.
        vacancy.queryset = Vacancy.objects.filter(is_open=True).select_related("employer")
        vacancy.help_text = _("Optional: an open vacancy of the chosen employer.")


class PlacementEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Last day of work"), widget=DateInput())
