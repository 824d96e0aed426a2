from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any, cast

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
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


class PlainSelect(forms.Select):
    """A select written out here with the markup of forms.Select. Django renders a template per
    option (about 0.1 ms each) and builds a dictionary and escapes through lazy-aware wrappers
    per option: for the caseload filter (hundreds of consultants in a big team) that was most
    of the caseload list's Python time at 100,000 clients (bench/pages.py). Straight from the
    choices, whose labels are plain text: no option groups, one selected value (as forms.Select).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = self.format_value(value)[0]  # a single select: one value ("" for none)
        options = []
        for choice, label in self.choices:
            option = str(choice)
            mark = " selected" if option == selected else ""
            options.append(f'<option value="{escape(option)}"{mark}>{escape(str(label))}</option>')
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 (each value and label escaped above)
        )


class PlainModelChoiceIterator(ModelChoiceIterator):
    """The choices of a ModelChoiceField from one plain query. Django's own iterator reads them
    through queryset.iterator(): a server-side cursor on PostgreSQL, which took longer than the
    query itself for the few hundred consultants of the caseload filter."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in self.queryset:
            yield self.choice(instance)


class PlainModelChoiceField(forms.ModelChoiceField):
    """One model instance: a PlainSelect, its options from one plain query."""

    widget = PlainSelect
    iterator = PlainModelChoiceIterator


class ConsultantChoiceIterator(PlainModelChoiceIterator):
    """The options of a choice of consultant from plain rows, named as User.__str__ names a user:
    building a User per option was most of the caseload filter's remaining time (the hundreds of
    consultants of a big team, bench/pages.py)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pk", "first_name", "last_name", "username")
        for pk, first_name, last_name, username in rows:
            yield (pk, User.display_name(first_name, last_name, username))


class ConsultantChoiceField(PlainModelChoiceField):
    iterator = ConsultantChoiceIterator


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

    q = forms.CharField(
        label=_("Name or BSN"),
        required=False,
        max_length=100,
        help_text=_(
            "A BSN finds that client. Names are found by the start of each word: "
            "“khal” finds Khalil, “van der b” finds Van der Berg."
        ),
    )


class CaseloadFilterForm(forms.Form):
    group = PlainModelChoiceField(
        label=_("Client group"),
        queryset=ClientGroup.objects.filter(is_active=True),
        required=False,
        empty_label=_("All client groups"),
    )
    step = PlainModelChoiceField(
        label=_("Ladder step"),
        queryset=LadderStep.objects.all(),
        required=False,
        empty_label=_("All steps"),
        to_field_name="number",
    )
    consultant = ConsultantChoiceField(
        label=_("Consultant"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Whole team"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["consultant"]).queryset = team_consultants(user)
