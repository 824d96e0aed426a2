"""Targets per indicator and year, maintained by the application manager. The indicator is
chosen from the registry; the registry is code, so the choice is made in the form."""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from monitoring.indicators import REGISTRY, Unit
from monitoring.models import Target

HUNDRED = 100  # a percentage's upper bound, not policy


def indicator_choices() -> list[tuple[str, str]]:
    return sorted(
        ((code, f"{indicator.name} ({code})") for code, indicator in REGISTRY.items()),
        key=lambda choice: choice[1],
    )


class TargetForm(forms.ModelForm):
    indicator = forms.ChoiceField(label=_("indicator"), choices=indicator_choices)

    class Meta:
        model = Target
        fields = ["indicator", "year", "value"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A target of an indicator that has since been retired stays editable.
        if self.instance.pk and self.instance.indicator not in REGISTRY:
            cast(forms.ChoiceField, self.fields["indicator"]).choices = [
                *indicator_choices(),
                (self.instance.indicator, self.instance.indicator),
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        indicator = REGISTRY.get(cleaned.get("indicator", ""))
        value = cleaned.get("value")
        if (
            indicator is not None
            and indicator.unit == Unit.PERCENT
            and value is not None
            and not 0 <= value <= HUNDRED
        ):
            self.add_error("value", _("A percentage lies between 0 and 100."))
        return cleaned


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = TargetForm
    list_display = ["indicator_name", "year", "value"]
    list_filter = ["year"]
    search_fields = ["indicator"]

    @admin.display(description=_("indicator"), ordering="indicator")
    def indicator_name(self, target: Target) -> str:
        indicator = REGISTRY.get(target.indicator)
        return str(indicator.name) if indicator else target.indicator
