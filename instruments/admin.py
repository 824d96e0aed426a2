"""The catalogue and the budgets, maintained by the application manager. A budget or allocation
amount is changed through a service that logs who and why: the admin form asks for the reason."""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casework.admin import ListEditableAdmin
from casework.models import User
from instruments import services
from instruments.models import (
    Allocation,
    Budget,
    BudgetChange,
    BudgetLine,
    EligibilityRule,
    Employer,
    Instrument,
    Placement,
    Provider,
    Sector,
    Vacancy,
)


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    fk_name = "instrument"
    extra = 0
    autocomplete_fields = ["required_instrument"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "budget_line", "unit_cost", "cost_unit", "is_active"]
    list_filter = ["category", "budget_line", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["client_groups", "providers"]
    inlines = [EligibilityRuleInline]


@admin.register(Provider)
class ProviderAdmin(ListEditableAdmin):
    list_display = ["name", "is_active"]
    list_editable = ["is_active"]


@admin.register(BudgetLine)
class BudgetLineAdmin(ListEditableAdmin):
    list_display = ["name", "code", "position"]
    list_editable = ["position"]


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2})
    )


class LoggedAmountAdmin(admin.ModelAdmin):
    """Saves through the logging service; the reason is required on every save."""

    form = ReasonForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        reason = form.cleaned_data["change_reason"]
        user = cast(User, request.user)  # the admin requires a logged-in staff user
        if isinstance(obj, Allocation):
            services.change_allocation_amount(
                allocation=obj, amount=obj.amount, changed_by=user, reason=reason
            )
        else:
            services.change_budget_amount(
                budget=obj, amount=obj.amount, changed_by=user, reason=reason
            )


@admin.register(Budget)
class BudgetAdmin(LoggedAmountAdmin):
    list_display = ["line", "year", "amount"]
    list_filter = ["year", "line"]


@admin.register(Allocation)
class AllocationAdmin(LoggedAmountAdmin):
    list_display = ["budget", "client_group", "organisation", "amount"]
    list_filter = ["budget__year", "client_group", "organisation"]


@admin.register(BudgetChange)
class BudgetChangeAdmin(admin.ModelAdmin):
    list_display = ["changed_at", "budget", "allocation", "old_amount", "new_amount", "changed_by"]
    list_filter = ["budget__year"]
    readonly_fields = [f.name for f in BudgetChange._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Sector)
class SectorAdmin(ListEditableAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "kvk_number", "sector", "city"]
    list_filter = ["sector"]
    search_fields = ["name", "kvk_number"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "hours_per_week", "level", "is_open", "posted_on"]
    list_filter = ["is_open", "level"]
    search_fields = ["title", "employer__name"]
    autocomplete_fields = ["employer"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    """Corrections only: placements are made through instruments.placements.place_client."""

    list_display = ["employer", "start_date", "contract_type", "hours_per_week", "ended_on"]
    list_filter = ["contract_type", "with_wage_subsidy", "with_job_coaching"]
    # The client by number only: /beheer/ shows no persons (raw_id_fields would print the name).
    exclude = ["client"]
    raw_id_fields = ["vacancy"]
    readonly_fields = ["client_id", "placed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
