"""Forms for starting and ending trajecten. Saving goes through instruments.services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput
from clients.models import Client, Conversation, Plan
from instruments.models import EarlyEndReason, Instrument, Provider, TrajectoryStatus


class TrajectoryStartForm(forms.Form):
    instrument = forms.ModelChoiceField(
        label=_("Instrument"), queryset=Instrument.objects.filter(is_active=True)
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.filter(is_active=True), required=False
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    planned_end_date = forms.DateField(label=_("Planned end date"), widget=DateInput())
    cost = forms.DecimalField(
        label=_("Cost (€)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Leave empty for the catalogue's standard cost."),
    )
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    goal = forms.CharField(label=_("Plan goal it serves"), max_length=300, required=False)
    conversation = forms.ModelChoiceField(
        label=_("Agreed in conversation"),
        queryset=Conversation.objects.none(),
        required=False,
        help_text=_("The conversation in which the trajectory was agreed, if any."),
    )
    confirm_override = forms.BooleanField(
        label=_("I have read the warnings and start the trajectory anyway"), required=False
    )
    override_reason = forms.CharField(
        label=_("Reason for starting despite the warnings"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["plan"]).queryset = Plan.objects.filter(
            client=client
        )
        cast(
            forms.ModelChoiceField, self.fields["conversation"]
        ).queryset = Conversation.objects.filter(client=client).order_by("-held_on", "-id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("planned_end_date")
        if start and end and end < start:
            self.add_error("planned_end_date", _("The planned end date is before the start date."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        confirmed = data["confirm_override"] and data["override_reason"].strip()
        return {
            "instrument": data["instrument"],
            "provider": data["provider"],
            "start_date": data["start_date"],
            "planned_end_date": data["planned_end_date"],
            "cost": data["cost"],
            "plan": data["plan"],
            "goal": data["goal"],
            "conversation": data["conversation"],
            "override_reason": data["override_reason"] if confirmed else "",
        }


class TrajectoryEndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in TrajectoryStatus.choices if c[0] != TrajectoryStatus.RUNNING],
        widget=forms.RadioSelect,
    )
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    early_end_reason = forms.ChoiceField(
        label=_("Reason for ending early"),
        choices=[("", "---------"), *EarlyEndReason.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        early = data.get("status") == TrajectoryStatus.ENDED_EARLY
        if early and not data.get("early_end_reason"):
            self.add_error("early_end_reason", _("Choose why the trajectory ended early."))
        if not early:
            data["early_end_reason"] = ""
        return data
