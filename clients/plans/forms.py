"""Forms of the plan van aanpak. Saving goes through clients.plans.services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput
from clients.models import Agreement, AgreementStatus, Plan

MAX_AGREEMENTS = 50


def _not_in_the_future(day: datetime.date | None) -> datetime.date | None:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(_("This date cannot be in the future."))
    return day


class PlanForm(forms.ModelForm):
    """A new plan: its date and goals."""

    class Meta:
        model = Plan
        fields = ["drawn_up_on", "goals"]
        widgets = {
            "drawn_up_on": DateInput(),
            "goals": forms.Textarea(attrs={"rows": 6, "cols": 60}),
        }
        help_texts = {
            "goals": _("What the client wants to achieve, in their own words where possible."),
        }

    def clean_drawn_up_on(self) -> datetime.date | None:
        return _not_in_the_future(self.cleaned_data["drawn_up_on"])


class PlanGoalsForm(forms.ModelForm):
    """The goals of an existing plan; its date stays (it decides which plan is current)."""

    class Meta:
        model = Plan
        fields = ["goals"]
        widgets = PlanForm.Meta.widgets
        help_texts = PlanForm.Meta.help_texts


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["description", "responsible", "due_date"]
        widgets = {
            "description": forms.TextInput(attrs={"size": 60}),
            "due_date": DateInput(),
        }
        help_texts = {"description": _("One concrete step, in plain words.")}


class BaseAgreementFormSet(BaseInlineFormSet):
    """A plan's open agreements. An agreement discussed in a conversation belongs to that
    conversation's record: it has no "remove" box (it can be cancelled instead)."""

    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        instance = getattr(form, "instance", None)
        if getattr(instance, "has_reviews", False):
            form.fields.pop("DELETE", None)
        elif "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this agreement")


NewAgreementFormSet = inlineformset_factory(
    Plan,
    Agreement,
    form=AgreementForm,
    formset=BaseAgreementFormSet,
    extra=3,
    can_delete=False,
    max_num=MAX_AGREEMENTS,
    validate_max=True,
)

AgreementFormSet = inlineformset_factory(
    Plan,
    Agreement,
    form=AgreementForm,
    formset=BaseAgreementFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_AGREEMENTS,
    validate_max=True,
)


class SignatureForm(forms.ModelForm):
    """When the client and the municipality signed the plan; empty while not signed."""

    class Meta:
        model = Plan
        fields = ["client_signed_on", "municipality_signed_on"]
        widgets = {"client_signed_on": DateInput(), "municipality_signed_on": DateInput()}

    def _signed_on(self, name: str) -> datetime.date | None:
        day = _not_in_the_future(self.cleaned_data[name])
        if day is not None and day < self.instance.drawn_up_on:
            raise forms.ValidationError(_("A plan cannot be signed before it was drawn up."))
        return day

    def clean_client_signed_on(self) -> datetime.date | None:
        return self._signed_on("client_signed_on")

    def clean_municipality_signed_on(self) -> datetime.date | None:
        return self._signed_on("municipality_signed_on")


class AgreementStatusForm(forms.Form):
    """Mark one agreement done, missed (with a reason) or cancelled, or open it again."""

    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    missed_reason = forms.CharField(
        label=_("Why was it missed?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the agreement was missed."),
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"status": agreement.status, "missed_reason": agreement.missed_reason}
        )
        kwargs["prefix"] = f"agreement-{agreement.pk}"
        super().__init__(*args, **kwargs)
        self.agreement = agreement
