from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from casework.models import User
from casework.selectors import team_consultants
from clients.bsn import clean_bsn
from clients.models import Client, ClientGroup, LadderStep
from clients.selectors import clients_with_bsn


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class LongSelect(forms.Select):
    """A select of many options (a team's consultants: hundreds in a big team), written out here
    with the markup of forms.Select: Django renders a template per option, about 0.1 ms each,
    which made the consultant filter most of the caseload list's time at 100,000 clients
    (bench/pages.py). No option groups."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class BsnField(forms.CharField):
    """A BSN as typed (spaces, dots and dashes allowed), cleaned by clients.bsn.clean_bsn to nine
    digits that pass the elfproef; empty stays empty. A BSN field is only ever posted."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("BSN"))
        super().__init__(strip=True, **kwargs)
        # No max_length validator: clean_bsn's "9 digits" says more than a character count.
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "maxlength": 11})

    def clean(self, value: Any) -> str:
        typed = super().clean(value)
        return clean_bsn(typed) if typed else typed


class ClientForm(forms.ModelForm):
    """Create and edit a client's personal data. Saving goes through clients.services."""

    bsn = BsnField()

    class Meta:
        model = Client
        fields = [
            "bsn",
            "first_name",
            "surname_prefix",
            "last_name",
            "date_of_birth",
            "gender",
            "street",
            "house_number",
            "postcode",
            "city",
            "neighbourhood",
            "phone",
            "email",
            "household_type",
            "education_level",
            "has_basic_qualification",
            "is_status_holder",
            "has_civic_integration_duty",
            "in_target_group_register",
            "barriers",
            "consultants",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "barriers": forms.CheckboxSelectMultiple,
            "consultants": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bsn = self.fields["bsn"]
        if self.instance.pk is not None:
            # The full BSN is shown only by the dossier's explicit, logged "show"
            # (clients:bsn-show), never printed into this page: empty here, and empty keeps it.
            self.initial["bsn"] = ""
            bsn.required = False
            bsn.help_text = _("Leave empty to keep the current BSN.")
        cast(
            forms.ModelMultipleChoiceField, self.fields["consultants"]
        ).queryset = team_consultants(user)
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"

    def clean_bsn(self) -> str | None:
        bsn: str = self.cleaned_data["bsn"]  # cleaned by BsnField
        if not bsn and self.instance.pk is not None:
            return self.instance.bsn
        # Uniqueness lies on bsn_hash, which is no field of this form: checked here, with the
        # model's message.
        others = clients_with_bsn(Client.objects.all(), bsn)
        if self.instance.pk is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            unique = Client._meta.get_field("bsn_hash").error_messages["unique"]
            raise forms.ValidationError(unique, code="unique")
        return bsn

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return born

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["barriers"] = list(data["barriers"])
        data["consultants"] = list(data["consultants"])
        return data


class ClientSearchForm(forms.Form):
    """Name or BSN; sent by POST so a BSN never lands in a URL or a server log."""

    q = forms.CharField(label=_("Name or BSN"), required=False, max_length=100)


class CaseloadFilterForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Client group"),
        queryset=ClientGroup.objects.filter(is_active=True),
        required=False,
        empty_label=_("All client groups"),
    )
    step = forms.ModelChoiceField(
        label=_("Ladder step"),
        queryset=LadderStep.objects.all(),
        required=False,
        empty_label=_("All steps"),
        to_field_name="number",
    )
    consultant = forms.ModelChoiceField(
        label=_("Consultant"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Whole team"),
        widget=LongSelect,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["consultant"]).queryset = team_consultants(user)
