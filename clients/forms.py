from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from casework.models import User
from casework.selectors import team_consultants
from clients import reference
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
    """The choices of a PlainModelChoiceField from its options (one plain query). Django's own
    iterator reads them through queryset.iterator(): a server-side cursor on PostgreSQL, which
    took longer than the query itself for the few hundred consultants of the caseload filter."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for instance in cast(PlainModelChoiceField, self.field).options():
            yield self.choice(instance)


class PlainModelChoiceField(forms.ModelChoiceField):
    """One model instance: a PlainSelect, its options read once per form, which also validate the
    choice (Django's field reads the chosen instance again with a query of its own)."""

    widget = PlainSelect
    iterator = PlainModelChoiceIterator

    def options(self) -> list[Any]:
        """The options' rows: given by the form (give), or read from the queryset (read_options)
        once per form, and again only when the form sets another queryset."""
        if getattr(self, "_options_of", None) is not self.queryset:
            self.give(self.read_options())
        return self._options

    def give(self, options: list[Any]) -> None:
        """Offer these rows of the queryset, read elsewhere (clients.reference's cache)."""
        self._options, self._options_of = options, self.queryset

    def read_options(self) -> list[Any]:
        return list(self.source())

    def source(self) -> QuerySet[Any]:
        """The queryset the options are read from (every such field is given one)."""
        return cast(QuerySet[Any], self.queryset)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, self.source().model):
            value = getattr(value, self.to_field_name or "pk")
        option = self.option(str(value))
        if option is None:
            message = self.error_messages["invalid_choice"]
            raise ValidationError(message, code="invalid_choice", params={"value": value})
        return option

    def option(self, value: str) -> Any:
        """The option whose value is `value`, or None."""
        key = self.to_field_name or "pk"
        return next((o for o in self.options() if str(getattr(o, key)) == value), None)


class ConsultantChoiceIterator(PlainModelChoiceIterator):
    """The options of a choice of consultant from plain rows (ConsultantChoiceField), named as
    User.__str__ names a user: building a User per option was most of the caseload filter's
    remaining time (the hundreds of consultants of a big team, bench/pages.py)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = cast(ConsultantChoiceField, self.field).options()
        for pk, username, first_name, last_name in rows:
            yield (pk, User.display_name(first_name, last_name, username))


class ConsultantChoiceField(PlainModelChoiceField):
    """A choice of consultant: its options plain rows of these COLUMNS; the chosen consultant is
    a User with just those columns read."""

    iterator = ConsultantChoiceIterator
    # In the order of the model's fields: User.from_db takes the values in that order.
    COLUMNS = ("id", "username", "first_name", "last_name")

    def read_options(self) -> list[Any]:
        return list(self.source().values_list(*self.COLUMNS))

    def option(self, value: str) -> User | None:
        row = next((row for row in self.options() if str(row[0]) == value), None)
        if row is None:
            return None
        return User.from_db(self.source().db, list(self.COLUMNS), row)


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
        cast(ConsultantChoiceField, self.fields["consultant"]).queryset = team_consultants(user)
        # The options of all three from the cache, in one round trip (clients.reference).
        keys = {
            reference.ACTIVE_GROUPS: "group",
            reference.LADDER_STEPS: "step",
            reference.team_consultants_key(user.team_id): "consultant",
        }
        fields = {key: cast(PlainModelChoiceField, self.fields[name]) for key, name in keys.items()}
        options = reference.cached({key: field.read_options for key, field in fields.items()})
        for key, field in fields.items():
            field.give(options[key])
